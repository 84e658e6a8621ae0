import { Global, Module } from '@nestjs/common';
import { DistributedCacheService } from './distributed-cache.service';

@Global()
@Module({ providers: [DistributedCacheService], exports: [DistributedCacheService] })
export class CacheModule {}
