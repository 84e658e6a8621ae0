import { Module } from '@nestjs/common';
import { TravelController } from './api/v1/travel.controller';
import { TravelService } from './travel.service';

@Module({
  controllers: [TravelController],
  providers: [TravelService],
  exports: [TravelService],
})
export class TravelModule {}
