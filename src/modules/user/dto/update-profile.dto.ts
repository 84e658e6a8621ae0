import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsSafeText, Trim } from '../../../common/validation/validators';

export class UpdateProfileDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50, description: 'Cannot be removed (null is refused)' })
  @ValidateIf((o: UpdateProfileDto) => o.nickname !== undefined)
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @IsSafeText({ singleLine: true })
  nickname?: string;

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(500)
  @IsSafeText()
  bio?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'An image the caller uploaded; null removes the avatar' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(2147483647)
  avatarMediaId?: number | null;
}
