import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeliveryJson, WebhookEvent, WebhookJson } from '../../../schema-engine/index.js';
import { api } from '../api/http.js';
import { wsPath } from '../api/queries.js';

/** Record-event webhooks as the API shows them (docs/api.md "Record-event webhooks"). */
export type Webhook = WebhookJson;
export type Delivery = DeliveryJson;
export type { WebhookEvent };
export const EVENTS: WebhookEvent[] = ['created', 'updated', 'deleted'];

export interface WebhookInput {
  url: string;
  sheet: string;
  events: WebhookEvent[];
}

const enc = encodeURIComponent;
const keys = {
  list: (ws: string) => ['webhooks', ws] as const,
  deliveries: (ws: string, id: string) => ['webhooks', ws, id, 'deliveries'] as const,
};

export const useWebhooks = (ws: string) => useQuery({ queryKey: keys.list(ws), queryFn: () => api<Webhook[]>('GET', `${wsPath(ws)}/webhooks`) });

/** A hook's recent deliveries, looked at again every few seconds while some are still pending. */
export const useDeliveries = (ws: string, id: string) =>
  useQuery({
    queryKey: keys.deliveries(ws, id),
    queryFn: () => api<Delivery[]>('GET', `${wsPath(ws)}/webhooks/${enc(id)}/deliveries`),
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'pending') ? 5_000 : false),
  });

export function useWebhookMutations(ws: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: keys.list(ws) });
  return {
    create: useMutation({ mutationFn: (body: WebhookInput) => api<Webhook>('POST', `${wsPath(ws)}/webhooks`, body), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/webhooks/${enc(id)}`), onSuccess: refresh }),
  };
}
