import { useEffect, useRef, useState } from 'react';

/** An A4 sheet (210 mm) with the page's margin around it, in CSS pixels. */
const PAGE_WIDTH = 880;

/**
 * The rendered page in a sandboxed iframe (no scripts, no same-origin access), laid out at A4 width and scaled down
 * to fit its pane, so the preview breaks lines as the printed page will.
 */
export function PreviewFrame({ html, title }: { html: string; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: PAGE_WIDTH, height: 600 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setSize({ width: entry.contentRect.width, height: entry.contentRect.height }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const scale = Math.min(1, size.width / PAGE_WIDTH);
  return (
    <div className="documents-frame" ref={box}>
      <iframe
        title={title}
        sandbox=""
        srcDoc={html}
        style={{ width: PAGE_WIDTH, height: size.height / scale, transform: `scale(${scale})`, transformOrigin: '0 0', border: 0, display: 'block' }}
      />
    </div>
  );
}
