import { systemUser } from './shared/system.js';

export const createdBy = systemUser('created_by', 'created_by');
