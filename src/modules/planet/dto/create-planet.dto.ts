import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsSafeText, Trim } from '../../../common/validation/validators';

export const PLANET_NAME_MAX = 100;

/** Body of POST /travels/:travelId/planets. */
export class CreatePlanetDto {
  @ApiProperty({ minLength: 1, maxLength: PLANET_NAME_MAX, example: '맛집 탐방' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(PLANET_NAME_MAX)
  @IsSafeText({ singleLine: true })
  name!: string;
}
