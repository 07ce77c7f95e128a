import { Module } from '@nestjs/common';
import { PartnershipCommandsController } from './partnership-commands.controller';

@Module({ controllers: [PartnershipCommandsController] })
export class PartnershipsModule {}
