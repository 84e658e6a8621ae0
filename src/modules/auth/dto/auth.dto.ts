import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { HasNoNulChar, MaxUtf8Bytes, Trim } from '../../../common/validation/validators';
import { UserMeDto } from '../../user/dto/user-response.dto';

export class RegisterDto {
  @ApiProperty({ example: 'minji@connecto.dev', maxLength: 254 })
  @Trim()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  @HasNoNulChar()
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 72, example: 'connecto123!', description: 'At most 72 bytes of UTF-8 (bcrypt reads no more): 72 ASCII characters or 24 Hangul syllables' })
  @IsString()
  @MinLength(8)
  @MaxUtf8Bytes(72)
  @HasNoNulChar()
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 50, example: '민지' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @HasNoNulChar()
  nickname!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'minji@connecto.dev' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  @HasNoNulChar()
  email!: string;

  @ApiProperty({ example: 'connecto123!' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @HasNoNulChar()
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
