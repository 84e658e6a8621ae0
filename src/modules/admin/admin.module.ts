import { Module } from '@nestjs/common';
import { DashboardSampler } from './dashboard-sampler';

/** The ops pages under /admin (admin-routes.ts, mounted by bootstrap) and the dashboard's history. */
@Module({ providers: [DashboardSampler], exports: [DashboardSampler] })
export class AdminModule {}
