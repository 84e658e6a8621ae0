import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailAddress, IsSafeText, MaxUtf8Bytes, NormalizeEmail, PASSWORD_MAX_BYTES, Trim } from '../../../common/validation/validators';
import { UserMeDto } from '../../user/dto/user-response.dto';

export class RegisterDto {
  @ApiProperty({
    example: 'minji@connecto.dev',
    maxLength: 254,
    description: 'Stored NFKC-normalised, without invisible characters, in lower case: `A@X.com` and `a\\u200b@x.com` are the same account',
  })
  @NormalizeEmail()
  @IsEmailAddress()
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    minLength: 8,
    maxLength: 72,
    example: 'connecto123!',
    description: 'At most 72 bytes of UTF-8 (bcrypt reads no more): 72 ASCII characters or 24 Hangul syllables',
  })
  @IsString()
  @MinLength(8)
  @MaxUtf8Bytes(PASSWORD_MAX_BYTES)
  @IsSafeText()
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 50, example: '민지' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @IsSafeText({ singleLine: true })
  nickname!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'minji@connecto.dev', description: 'Compared after the same normalisation as at register' })
  @NormalizeEmail()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  @IsSafeText({ singleLine: true })
  email!: string;

  @ApiProperty({
    example: 'connecto123!',
    maxLength: 72,
    description: 'At most 72 bytes of UTF-8, as at register: a longer one could never have been set',
  })
  @IsString()
  @MinLength(1)
  @MaxUtf8Bytes(PASSWORD_MAX_BYTES)
  @IsSafeText()
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login, register or the previous refresh' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT, valid for JWT_ACCESS_TTL_SECONDS' }) accessToken!: string;
  @ApiProperty({ description: 'Opaque, single use: each refresh returns a new one' }) refreshToken!: string;
}

export class AuthResponseDto extends TokenPairDto {
  @ApiProperty({ type: UserMeDto }) user!: UserMeDto;
}
