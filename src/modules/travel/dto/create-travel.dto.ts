import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { TravelVisibility } from '../travel.enums';
import { IsSafeText, IsCalendarDate, Trim } from '../../../common/validation/validators';

export const TRAVEL_TITLE_MAX = 100;
export const TRAVEL_DESCRIPTION_MAX = 2000;

/** Body of POST /travels. */
export class CreateTravelDto {
  @ApiProperty({ minLength: 1, maxLength: TRAVEL_TITLE_MAX, example: '부산 2박 3일' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(TRAVEL_TITLE_MAX)
  @IsSafeText({ singleLine: true })
  title!: string;

  @ApiPropertyOptional({ maxLength: TRAVEL_DESCRIPTION_MAX, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(TRAVEL_DESCRIPTION_MAX)
  @IsSafeText()
  description?: string | null;

  @ApiProperty({
    enum: TravelVisibility,
    description: 'PUBLIC travels are visible to and joinable by anyone; PRIVATE ones only through the host.',
  })
  @IsEnum(TravelVisibility)
  visibility!: TravelVisibility;

  @ApiPropertyOptional({ example: '2025-07-01', description: 'YYYY-MM-DD', nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string | null;

  @ApiPropertyOptional({ example: '2025-07-03', description: 'YYYY-MM-DD, not before startDate', nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  endDate?: string | null;
}
