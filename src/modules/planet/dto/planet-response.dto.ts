import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageResponseDto } from '../../message/dto/message-response.dto';
import { MembershipStatus } from '../../../common/membership/membership';
import type { PlanetUser } from '../planet-user.entity';
import type { Planet } from '../planet.entity';
import { PlanetRole } from '../planet.enums';

export class PlanetResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() travelId!: number;
  @ApiProperty() name!: string;
  @ApiProperty() createdById!: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ description: 'ACTIVE members of the planet' }) memberCount?: number;
  @ApiPropertyOptional({ description: 'Whether the caller is an ACTIVE member' }) isMember?: boolean;
}

export class PlanetListDto {
  @ApiProperty({ type: [PlanetResponseDto] }) data!: PlanetResponseDto[];
}

/** One of my planets in GET /planets. */
export class MyPlanetResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() travelId!: number;
  @ApiProperty() travelTitle!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ enum: PlanetRole, description: 'My role in the planet' }) role!: PlanetRole;
  @ApiProperty({ description: 'Messages by others after my read watermark (and since I joined), not deleted' })
  unreadCount!: number;
  @ApiProperty({ type: MessageResponseDto, nullable: true, description: 'The newest message (a tombstone when deleted)' })
  lastMessage!: MessageResponseDto | null;
}

export class MyPlanetListDto {
  @ApiProperty({ type: [MyPlanetResponseDto], description: 'Most recently active first' }) data!: MyPlanetResponseDto[];
}

export class PlanetMembershipResponseDto {
  @ApiProperty() planetId!: number;
  @ApiProperty() userId!: number;
  @ApiProperty({ enum: PlanetRole }) role!: PlanetRole;
  @ApiProperty({ enum: MembershipStatus }) status!: MembershipStatus;
  @ApiProperty() joinedAt!: string;
}

export function toPlanetResponse(p: Planet, extra: { memberCount?: number; isMember?: boolean } = {}): PlanetResponseDto {
  return {
    id: p.id,
    travelId: p.travelId,
    name: p.name,
    createdById: p.createdById,
    createdAt: new Date(p.createdAt).toISOString(),
    ...extra,
  };
}

export function toPlanetMembershipResponse(m: PlanetUser): PlanetMembershipResponseDto {
  return { planetId: m.planetId, userId: m.userId, role: m.role, status: m.status, joinedAt: new Date(m.joinedAt).toISOString() };
}
