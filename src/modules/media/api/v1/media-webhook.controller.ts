import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../common/decorators/public.decorator';
import { ApiErrors } from '../../../../common/openapi/api-errors.decorator';
import { MediaWebhooks } from '../../media-webhooks.service';

export class WebhookReceivedDto {
  @ApiProperty({ enum: [true] }) received!: true;
  @ApiProperty({ nullable: true, type: 'integer', description: 'the media the notification was about, null when it is not ours' })
  mediaId!: number | null;
}

/** Called by Cloudflare, not by clients: the signature is the authentication. */
@ApiTags('media')
@Public()
@Controller('media/webhooks')
export class MediaWebhookController {
  constructor(private readonly webhooks: MediaWebhooks) {}

  @Post('cloudflare-stream')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cloudflare Stream notification (video ready or failed), signed with Webhook-Signature: time=…,sig1=…' })
  @ApiOkResponse({ type: WebhookReceivedDto })
  @ApiErrors({ 403: 'missing, forged or too old signature, or webhooks not configured', 409: 'replayed notification' })
  stream(
    @Headers('webhook-signature') signature: string | undefined,
    @Req() req: Request & { rawBody?: Buffer },
  ): Promise<WebhookReceivedDto> {
    return this.webhooks.streamNotification(signature, req.rawBody);
  }
}
