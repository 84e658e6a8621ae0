import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { AuthGuard } from '../../../../guards/auth.guard';
import { CreateUploadDto } from '../../dto/create-upload.dto';
import { MediaResponseDto, UploadSessionDto } from '../../dto/media-response.dto';
import { MediaService } from '../../media.service';

@ApiTags('media')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /** Checks kind, type, name and size, then answers how to upload the bytes straight to storage. */
  @Post('uploads')
  @ApiCreatedResponse({ type: UploadSessionDto })
  createUpload(@CurrentUser() user: CurrentUserData, @Body() dto: CreateUploadDto): Promise<UploadSessionDto> {
    return this.media.createUpload(user, dto);
  }

  /** Uploader only, once: checks the stored bytes, queues processing; media:ready follows. */
  @Post(':id/complete')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MediaResponseDto })
  complete(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<MediaResponseDto> {
    return this.media.complete(user, id);
  }

  /** The owner, or ACTIVE members of a planet where it was posted; URLs are short-lived and signed. */
  @Get(':id')
  @ApiOkResponse({ type: MediaResponseDto })
  get(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<MediaResponseDto> {
    return this.media.get(user, id);
  }
}
