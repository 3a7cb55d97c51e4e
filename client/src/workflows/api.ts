import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StepInput, StepPreview, TriggerShape } from '../../../schema-engine/index.js';
import { api } from '../api/http.js';
import { sheetPath, wsPath } from '../api/queries.js';

const enc = encodeURIComponent;

/** Triggers and steps as the API shows and takes them (API.md "Workflows"): sheets and fields by name. */
export type Trigger = TriggerShape;
export type TriggerType = Trigger['type'];
export const TRIGGER_TYPES: TriggerType[] = ['record_created', 'record_updated', 'record_matches', 'form_submitted', 'schedule', 'date', 'button'];

export type Step = StepInput;
export type StepType = Step['type'];
export const STEP_TYPES: StepType[] = ['condition', 'update_record', 'create_record', 'send_email', 'webhook', 'notify', 'wait', 'approval'];

export interface Workflow {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  trigger: Trigger;
  steps: Step[];
  webhookSecret: string;
  createdAt: string;
  updatedAt: string;
}
export type WorkflowInput = Pick<Workflow, 'name' | 'trigger' | 'steps'> & { enabled?: boolean };

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
export interface RunStep {
  index: number;
  type: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  output?: unknown;
  error?: string;
  attempts: number;
}
export interface Run {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  recordId?: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  steps: RunStep[];
}
export type { StepPreview };

export const wfKeys = {
  list: (ws: string) => ['workflows', ws] as const,
  one: (ws: string, id: string) => ['workflows', ws, id] as const,
  runs: (ws: string, id: string, status: string) => ['workflow-runs', ws, id, status] as const,
  buttons: (ws: string, sheet: string) => ['buttons', ws, sheet] as const,
};

export const useWorkflows = (ws: string) => useQuery({ queryKey: wfKeys.list(ws), queryFn: () => api<Workflow[]>('GET', `${wsPath(ws)}/workflows`) });
export const useWorkflow = (ws: string, id: string) =>
  useQuery({ queryKey: wfKeys.one(ws, id), queryFn: () => api<Workflow>('GET', `${wsPath(ws)}/workflows/${enc(id)}`), enabled: id !== '' });

export function useWorkflowMutations(ws: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['workflows', ws] });
  return {
    create: useMutation({ mutationFn: (body: WorkflowInput) => api<Workflow>('POST', `${wsPath(ws)}/workflows`, body), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, patch }: { id: string; patch: Partial<WorkflowInput> }) => api<Workflow>('PATCH', `${wsPath(ws)}/workflows/${enc(id)}`, patch),
      onSuccess: async (saved) => {
        client.setQueryData(wfKeys.one(ws, saved.id), saved);
        await refresh();
        // The sheet's buttons follow a button workflow's label and on/off.
        await client.invalidateQueries({ queryKey: ['buttons', ws] });
      },
    }),
    remove: useMutation({ mutationFn: (id: string) => api<void>('DELETE', `${wsPath(ws)}/workflows/${enc(id)}`), onSuccess: refresh }),
  };
}

/** A workflow's runs, newest first, a page at a time ("Load more" follows nextCursor); refreshed while any is live. */
export function useRuns(ws: string, id: string, status = '', live = true) {
  return useInfiniteQuery({
    queryKey: wfKeys.runs(ws, id, status),
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams();
      if (status) query.set('status', status);
      if (pageParam) query.set('cursor', pageParam);
      const q = query.toString();
      return api<{ runs: Run[]; nextCursor: string | null }>('GET', `${wsPath(ws)}/workflows/${enc(id)}/runs${q ? `?${q}` : ''}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) => (live && query.state.data?.pages.some((p) => p.runs.some((r) => ['queued', 'running'].includes(r.status))) ? 1500 : false),
  });
}

export function useRunActions(ws: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['workflow-runs', ws] });
  return {
    retry: useMutation({ mutationFn: (run: string) => api<Run>('POST', `${wsPath(ws)}/runs/${enc(run)}/retry`), onSettled: refresh }),
    cancel: useMutation({ mutationFn: (run: string) => api<Run>('POST', `${wsPath(ws)}/runs/${enc(run)}/cancel`), onSettled: refresh }),
  };
}

export const testWorkflow = (ws: string, id: string, recordId: string) => api<{ steps: StepPreview[] }>('POST', `${wsPath(ws)}/workflows/${enc(id)}/test`, { recordId });

/** A sheet's record-page buttons (its enabled button workflows), for anyone who reads it. */
export const useButtons = (ws: string, sheet: string) =>
  useQuery({ queryKey: wfKeys.buttons(ws, sheet), queryFn: () => api<{ id: string; label: string }[]>('GET', `${sheetPath(ws, sheet)}/buttons`), staleTime: 30_000 });

export const pressButton = (ws: string, sheet: string, record: string, workflow: string) =>
  api<{ runId: string }>('POST', `${sheetPath(ws, sheet)}/records/${enc(record)}/buttons/${enc(workflow)}`);
