import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { ApiErrors } from '../../../../common/openapi/api-errors.decorator';
import { RateLimit } from '../../../../infrastructure/rate-limit/rate-limit.decorator';
import { CreateUploadDto } from '../../dto/create-upload.dto';
import { MediaResponseDto, UploadSessionDto } from '../../dto/media-response.dto';
import { MediaService } from '../../media.service';

@ApiTags('media')
@ApiBearerAuth()
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /** Checks kind, type, name and size, then answers how to upload the bytes straight to storage. */
  @Post('uploads')
  @RateLimit('upload')
  @ApiOperation({ summary: 'Start an upload: checks kind, MIME type, file name and size, answers a signed URL to PUT the bytes to' })
  @ApiCreatedResponse({ type: UploadSessionDto })
  createUpload(@CurrentUser() user: CurrentUserData, @Body() dto: CreateUploadDto): Promise<UploadSessionDto> {
    return this.media.createUpload(user, dto);
  }

  /** Uploader only, once: checks the stored bytes, queues processing; media:ready follows. */
  @Post(':id/complete')
  @HttpCode(202)
  @ApiOperation({ summary: 'Finish an upload (uploader only, once): checks the stored bytes and queues processing; media:ready follows' })
  @ApiAcceptedResponse({ type: MediaResponseDto })
  @ApiErrors({ 404: 'no such media of yours', 409: 'already completed, or the bytes have not arrived yet' })
  complete(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<MediaResponseDto> {
    return this.media.complete(user, id);
  }

  /** The owner, or ACTIVE members of a planet where it was posted; URLs are short-lived and signed. */
  @Get(':id')
  @ApiOperation({ summary: 'A media item with short-lived signed URLs (the owner, or ACTIVE members of a planet where it was posted)' })
  @ApiOkResponse({ type: MediaResponseDto })
  @ApiErrors({ 404: 'no such media, or not visible to you' })
  get(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<MediaResponseDto> {
    return this.media.get(user, id);
  }
}
