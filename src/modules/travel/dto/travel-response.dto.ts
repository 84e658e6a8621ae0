import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TravelUser } from '../travel-user.entity';
import type { TravelSummary } from '../travel.entity';
import { MembershipStatus, TravelRole, TravelVisibility } from '../travel.enums';

export class TravelResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: TravelVisibility }) visibility!: TravelVisibility;
  @ApiProperty({ description: 'Number of ACTIVE members' }) participantCount!: number;
  @ApiProperty({ nullable: true, type: String, example: '2025-07-01' }) startDate!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2025-07-03' }) endDate!: string | null;
  @ApiProperty() createdById!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ enum: TravelRole, nullable: true, description: "The caller's role when an ACTIVE member, else null" })
  myRole?: TravelRole | null;
}

export class TravelPageDto {
  @ApiProperty({ type: [TravelResponseDto] }) data!: TravelResponseDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
  @ApiProperty() hasMore!: boolean;
}

export class TravelListDto {
  @ApiProperty({ type: [TravelResponseDto] }) data!: TravelResponseDto[];
}

export class TravelMembershipResponseDto {
  @ApiProperty() travelId!: number;
  @ApiProperty() userId!: number;
  @ApiProperty({ enum: TravelRole }) role!: TravelRole;
  @ApiProperty({ enum: MembershipStatus }) status!: MembershipStatus;
  @ApiProperty() joinedAt!: string;
  @ApiProperty({ description: 'participantCount of the travel after this change' }) participantCount!: number;
}

export function toTravelResponse(t: { toSummary(): TravelSummary } | TravelSummary, myRole?: TravelRole | null): TravelResponseDto {
  const summary = 'toSummary' in t ? t.toSummary() : t;
  return { ...summary, ...(myRole !== undefined ? { myRole } : {}) };
}

export function toTravelMembershipResponse(m: TravelUser, participantCount: number): TravelMembershipResponseDto {
  return {
    travelId: m.travelId,
    userId: m.userId,
    role: m.role,
    status: m.status,
    joinedAt: new Date(m.joinedAt).toISOString(),
    participantCount,
  };
}
