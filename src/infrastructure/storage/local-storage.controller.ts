import { Controller, Get, Inject, Param, Put, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { Public } from '../../common/decorators/public.decorator';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { LOCAL_STORAGE_ROUTE, LocalStorageDriver } from './local-storage.driver';
import { STORAGE_DRIVER, StorageDriver } from './storage-driver';

/**
 * The local driver's signed URLs: PUT stores an upload, GET serves a file. No bearer token: the
 * HMAC signature in the URL is the authorisation, as with a presigned S3 URL. With the s3 driver
 * these routes answer 404.
 */
@ApiExcludeController()
@Public()
@Controller(LOCAL_STORAGE_ROUTE)
export class LocalStorageController {
  constructor(@Inject(STORAGE_DRIVER) private readonly storage: StorageDriver) {}

  @Put('*key')
  async upload(@Param('key') key: string | string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    const local = this.local();
    const path = keyOf(key);
    const verdict = local.verify('put', path, req.query);
    if (!verdict.ok) throw AppException.forbidden(verdict.reason);
    const { ct, len } = verdict.params;
    if ((req.headers['content-type'] ?? '') !== ct) throw AppException.badRequest('Content-Type', `must be ${ct}, as signed`);
    if (req.headers['content-length'] === undefined)
      throw new AppException(ErrorCode.VALIDATION, 'Content-Length is required', [{ field: 'Content-Length', problem: 'is required' }]);
    if (req.headers['content-length'] !== len) throw AppException.badRequest('Content-Length', `must be ${len}, the announced size`);
    if (await local.head(path)) throw AppException.conflict('This upload was already received');
    const outcome = await local.writeUpload(path, req, Number(len));
    if (outcome !== 'written')
      throw AppException.badRequest('body', `has ${outcome === 'too-long' ? 'more' : 'fewer'} bytes than the announced size ${len}`);
    res.status(200).end();
  }

  @Get('*key')
  async download(@Param('key') key: string | string[], @Req() req: Request, @Res() res: Response): Promise<void> {
    const local = this.local();
    const path = keyOf(key);
    const verdict = local.verify('get', path, req.query);
    if (!verdict.ok) throw AppException.forbidden(verdict.reason);
    const found = await local.head(path);
    if (!found) throw AppException.notFound('File');
    const { ct, fn, exp } = verdict.params;
    res.status(200);
    res.setHeader('Content-Type', ct);
    res.setHeader('Content-Length', String(found.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', `private, max-age=${Math.max(0, exp - Math.floor(Date.now() / 1000))}`);
    if (fn) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(fn)}`);
    createReadStream(local.pathOf(path))
      .on('error', () => res.destroy())
      .pipe(res);
  }

  private local(): LocalStorageDriver {
    if (!(this.storage instanceof LocalStorageDriver)) throw AppException.notFound('Route');
    return this.storage;
  }
}

function keyOf(key: string | string[]): string {
  const path = Array.isArray(key) ? key.join('/') : key;
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$/.test(path) || path.split('/').some((p) => p === '' || p === '.' || p === '..'))
    throw AppException.notFound('File');
  return path;
}
