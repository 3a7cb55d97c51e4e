import { systemTime } from './shared/system.js';

export const createdTime = systemTime('created_time', 'created_at');
