import { systemTime } from './shared/system.js';

export const updatedTime = systemTime('updated_time', 'updated_at');
