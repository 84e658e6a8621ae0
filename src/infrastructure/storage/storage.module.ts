import { Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { EnvironmentVariables, storageDriverOf } from '../../config/env';
import { LocalStorageController } from './local-storage.controller';
import { LocalStorageDriver } from './local-storage.driver';
import { S3StorageDriver } from './s3-storage.driver';
import { STORAGE_DRIVER, StorageDriver } from './storage-driver';

/** The address the app listens on, for URLs that point at the app itself (local driver, no PUBLIC_BASE_URL). */
function listeningBase(host: HttpAdapterHost): string {
  const server = host.httpAdapter?.getHttpServer() as { address(): AddressInfo | string | null } | undefined;
  const address = server?.address();
  if (!address || typeof address === 'string') return 'http://127.0.0.1';
  const ip =
    address.address === '::' || address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address.includes(':')
        ? `[${address.address}]`
        : address.address;
  return `http://${ip}:${address.port}`;
}

export function createStorageDriver(env: EnvironmentVariables, baseUrl: () => string): StorageDriver {
  if (storageDriverOf(env) === 's3') {
    return new S3StorageDriver({
      bucket: env.S3_BUCKET as string,
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === 'true',
    });
  }
  return new LocalStorageDriver(env.STORAGE_LOCAL_DIR, env.STORAGE_SIGNING_SECRET, baseUrl);
}

/** The configured storage driver (STORAGE_DRIVER), injectable as STORAGE_DRIVER. */
@Global()
@Module({
  controllers: [LocalStorageController],
  providers: [
    {
      provide: STORAGE_DRIVER,
      inject: [EnvironmentVariables, HttpAdapterHost],
      useFactory: (env: EnvironmentVariables, host: HttpAdapterHost) =>
        createStorageDriver(env, () => env.PUBLIC_BASE_URL ?? listeningBase(host)),
    },
  ],
  exports: [STORAGE_DRIVER],
})
export class StorageModule {}
