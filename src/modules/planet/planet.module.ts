import { Module } from '@nestjs/common';
import { PlanetController } from './api/v1/planet.controller';
import { PlanetService } from './planet.service';

@Module({
  controllers: [PlanetController],
  providers: [PlanetService],
  exports: [PlanetService],
})
export class PlanetModule {}
