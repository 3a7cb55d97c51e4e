import { systemUser } from './shared/system.js';

export const updatedBy = systemUser('updated_by', 'updated_by');
