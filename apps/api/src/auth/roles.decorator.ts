import { SetMetadata } from '@nestjs/common';
import type { Role } from '@registry/shared-kernel';

export const ROLES_KEY = 'registry:roles';
export const PARTNERSHIP_SCOPED_KEY = 'registry:partnership-scoped';

/** The route needs a bearer token with one of these roles. Routes without it are public. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A `focal-point` may use the route only for the partnerships its token names (route param `id`). */
export const PartnershipScoped = () => SetMetadata(PARTNERSHIP_SCOPED_KEY, true);
