import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { TravelVisibility } from '../travel.enums';
import { TRAVEL_DESCRIPTION_MAX, TRAVEL_TITLE_MAX } from './create-travel.dto';
import { IsSafeText, IsCalendarDate, Trim } from '../../../common/validation/validators';

/** Body of PATCH /travels/:id: only the fields given change; `null` clears description and dates. */
export class UpdateTravelDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: TRAVEL_TITLE_MAX })
  @ValidateIf((o: UpdateTravelDto) => o.title !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(TRAVEL_TITLE_MAX)
  @IsSafeText({ singleLine: true })
  title?: string;

  @ApiPropertyOptional({ maxLength: TRAVEL_DESCRIPTION_MAX, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(TRAVEL_DESCRIPTION_MAX)
  @IsSafeText()
  description?: string | null;

  @ApiPropertyOptional({ enum: TravelVisibility })
  @ValidateIf((o: UpdateTravelDto) => o.visibility !== undefined)
  @IsEnum(TravelVisibility)
  visibility?: TravelVisibility;

  @ApiPropertyOptional({ example: '2025-07-01', nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  startDate?: string | null;

  @ApiPropertyOptional({ example: '2025-07-03', nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  endDate?: string | null;
}
