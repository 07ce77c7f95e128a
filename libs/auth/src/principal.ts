import type { Role } from '@registry/shared-kernel';

/** Who is calling, as the verified token says. Event actors come from here, never from a body. */
export interface Principal {
  id: string;
  role: Role;
  /** For `focal-point`: the partnerships whose reports this principal may file. */
  partnerships: string[];
}
