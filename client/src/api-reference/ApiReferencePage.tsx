import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import './api-reference.css';

/**
 * The workspace's interactive API reference (GET /api/w/:ws/openapi.json): its sheets as the user may use them, with
 * "Try it out" sending real requests with the user's session. Swagger UI loads with this page only.
 */
export function ApiReferencePage({ ws }: { ws: string }) {
  const { t } = useI18n();
  const url = `/api/w/${ws}/openapi.json`;
  const doc = useQuery({ queryKey: ['openapi', ws], queryFn: () => api<object>('GET', url) });
  const node = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const target = node.current;
    if (!doc.data || !target) return;
    let live = true;
    import('./swagger.js')
      .then(({ mountReference }) => {
        if (!live) return;
        target.replaceChildren();
        mountReference(target, doc.data);
        setReady(true);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [doc.data]);

  return (
    <section className="api-reference">
      <h1>{t('apiRef.title')}</h1>
      <p>{t('apiRef.intro')}</p>
      <p>
        {t('apiRef.tokens')} <Link href="/settings">{t('nav.settings')}</Link>
      </p>
      <p>
        <a href={url} download="openapi.json">
          {t('apiRef.download')}
        </a>
      </p>
      {(doc.isPending || (doc.data && !ready && !failed)) && <p className="loading">{t('grid.loading')}</p>}
      {(doc.isError || failed) && (
        <p className="error" role="alert">
          {doc.error?.message ?? t('apiRef.failed')}
        </p>
      )}
      <div ref={node} className="api-reference-ui" lang="en" />
    </section>
  );
}
