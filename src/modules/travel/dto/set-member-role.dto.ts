import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { TravelRole } from '../travel.enums';

/** Body of PATCH /travels/:id/members/:userId (host hand-over). */
export class SetMemberRoleDto {
  @ApiProperty({ enum: TravelRole })
  @IsEnum(TravelRole)
  role!: TravelRole;
}
