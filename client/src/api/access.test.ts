import { testField } from '../form/test-fields.js';
import { describe, expect, it } from 'vitest';
import { isReadOnly } from '../fields/format.js';
import { applyAccess, lockAll, sheetAccessOf, writesSheet } from './access.js';
import { previewHeaders, setPreview } from './preview.js';
import type { EffectiveAccess, Sheet } from './types.js';

const sheet: Sheet = {
  id: 'sht1',
  name: 'Leads',
  primaryFieldId: 'f1',
  fields: [
    testField('f1', 'Name', 'text'),
    testField('f2', 'Note', 'text'),
  ],
};
const rep: EffectiveAccess = {
  role: 'Sales rep',
  roleId: 'rol1',
  design: false,
  members: false,
  sheets: { sht1: { read: 'own', create: true, update: 'own', delete: 'none', fields: { f2: 'read_only' } } },
};

describe('the client following effective access', () => {
  it('marks read-only fields locked, so the grid and forms do not edit them', () => {
    const seen = applyAccess(sheet, rep);
    expect(seen.fields.map((f) => isReadOnly(f))).toEqual([false, true]);
    expect(seen.noUpdate).toBeUndefined();
    expect(isReadOnly(sheet.fields[1]!)).toBe(false);
  });

  it('marks a sheet the role updates none of, and lockAll makes its form read-only', () => {
    const viewer: EffectiveAccess = { ...rep, sheets: { sht1: { read: 'all', create: false, update: 'none', delete: 'none' } } };
    const seen = applyAccess(sheet, viewer);
    expect(seen.noUpdate).toBe(true);
    expect(lockAll(seen).fields.every(isReadOnly)).toBe(true);
    expect(writesSheet(sheetAccessOf(viewer, 'sht1'))).toBe(false);
    expect(writesSheet(sheetAccessOf(rep, 'sht1'))).toBe(true);
  });

  it('grants nothing on a sheet the access does not name, and leaves a sheet as it is while access is unknown', () => {
    expect(sheetAccessOf(rep, 'other')).toEqual({ read: 'none', create: false, update: 'none', delete: 'none' });
    expect(applyAccess(sheet, undefined)).toBe(sheet);
  });

  it('sends X-Preview-Role only with requests of the previewed workspace', () => {
    setPreview({ ws: 'wsp1', roleId: 'rol1', roleName: 'Sales rep' });
    expect(previewHeaders('/api/w/wsp1/sheets')).toEqual({ 'x-preview-role': 'rol1' });
    expect(previewHeaders('/api/w/wsp2/sheets')).toEqual({});
    expect(previewHeaders('/api/me')).toEqual({});
    setPreview(null);
    expect(previewHeaders('/api/w/wsp1/sheets')).toEqual({});
  });
});
