import { Link } from 'wouter';
import { mayImport, sheetAccessOf, useAccess } from '../api/access.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * Opens the import wizard: into `sheet` (shown to those who may add its records), or into a new or any sheet
 * (shown to those who may import at all, as the server decides).
 */
export function ImportButton({ ws, sheet, className = 'button' }: { ws: string; sheet?: string; className?: string }) {
  const { t } = useI18n();
  const access = useAccess(ws);
  if (sheet ? !sheetAccessOf(access, sheet).create : !mayImport(access)) return null;
  return (
    <Link href={`/w/${ws}/imports${sheet ? `?sheet=${encodeURIComponent(sheet)}` : ''}`} className={className}>
      {t('imports.open')}
    </Link>
  );
}
