import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useRoute } from 'wouter';
import { followNewSheets } from '../api/access.js';
import { api, ApiError } from '../api/http.js';
import { useMe } from '../api/queries.js';
import { I18nProvider, useI18n } from '../i18n/i18n.js';
import { AuthPage } from '../pages/Auth.js';
import { ForgotPasswordPage, ResetPasswordPage } from '../pages/PasswordReset.js';
import { LeaveGuardProvider } from './leave-guard.js';
import { Shell } from './Shell.js';
import { ToastProvider } from './toasts.js';

// Heavy parts load when first needed: the grid, the form (with ajv) and the record page.
const HomePage = lazy(() => import('../pages/Home.js').then((m) => ({ default: m.HomePage })));
const SheetPage = lazy(() => import('../pages/SheetPage.js').then((m) => ({ default: m.SheetPage })));
const RecordPage = lazy(() => import('../pages/RecordPage.js').then((m) => ({ default: m.RecordPage })));
const NewRecordPage = lazy(() => import('../pages/NewRecordPage.js').then((m) => ({ default: m.NewRecordPage })));
const DesignerPage = lazy(() => import('../designer/DesignerPage.js').then((m) => ({ default: m.DesignerPage })));
const RulesPage = lazy(() => import('../rules/RulesPage.js').then((m) => ({ default: m.RulesPage })));
const DocumentsPage = lazy(() => import('../documents/DocumentsPage.js').then((m) => ({ default: m.DocumentsPage })));

const SettingsPage = lazy(() => import('../settings/SettingsPage.js').then((m) => ({ default: m.SettingsPage })));
const GalleryPage = lazy(() => import('../gallery/GalleryPage.js').then((m) => ({ default: m.GalleryPage })));
const MembersPage = lazy(() => import('../team/MembersPage.js').then((m) => ({ default: m.MembersPage })));
const RolesPage = lazy(() => import('../team/RolesPage.js').then((m) => ({ default: m.RolesPage })));
const AuditPage = lazy(() => import('../team/AuditPage.js').then((m) => ({ default: m.AuditPage })));
const InvitePage = lazy(() => import('../team/InvitePage.js').then((m) => ({ default: m.InvitePage })));
const WorkflowsPage = lazy(() => import('../workflows/WorkflowsPage.js').then((m) => ({ default: m.WorkflowsPage })));
const WorkflowEditorPage = lazy(() => import('../workflows/WorkflowEditorPage.js').then((m) => ({ default: m.WorkflowEditorPage })));
const ApiReferencePage = lazy(() => import('../api-reference/ApiReferencePage.js').then((m) => ({ default: m.ApiReferencePage })));
const WebhooksPage = lazy(() => import('../webhooks/WebhooksPage.js').then((m) => ({ default: m.WebhooksPage })));
const ApprovalsPage = lazy(() => import('../inbox/ApprovalsPage.js').then((m) => ({ default: m.ApprovalsPage })));
const ImportsPage = lazy(() => import('../imports/ImportsPage.js').then((m) => ({ default: m.ImportsPage })));
const ImportPage = lazy(() => import('../imports/ImportPage.js').then((m) => ({ default: m.ImportPage })));
const PublicFormPage = lazy(() => import('../public-form/PublicFormPage.js').then((m) => ({ default: m.PublicFormPage })));

// A refusal (4xx: not found, not allowed) is the answer, shown at once; only other failures are tried again.
const retry = (failures: number, error: unknown) => failures < 3 && !(error instanceof ApiError && error.status < 500);
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry } } });
followNewSheets(queryClient);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ToastProvider>
          <LeaveGuardProvider>
            <Routes />
          </LeaveGuardProvider>
        </ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}

function Loading() {
  const { t } = useI18n();
  return <p className="loading">{t('grid.loading')}</p>;
}

/** Signed in, but a member of no workspace (removed or deactivated everywhere): said, not loaded forever. */
function NoWorkspace() {
  const { t } = useI18n();
  return <p className="empty">{t('team.noWorkspace')}</p>;
}

function Routes() {
  const [publicForm, params] = useRoute('/f/:token');
  // A password reset link works whether or not this browser is signed in (it signs in as the link's account).
  const [reset, resetParams] = useRoute('/reset/:token');
  const [invite, invitation] = useRoute('/invite/:token');
  if (reset) return <ResetPasswordPage token={resetParams.token} />;
  // An invitation link works signed in (join with this account) and signed out (a new account).
  if (invite) {
    return (
      <Suspense fallback={<Loading />}>
        <InvitePage token={invitation.token} />
      </Suspense>
    );
  }
  if (publicForm) {
    return (
      <Suspense fallback={<Loading />}>
        <PublicFormPage token={params.token} />
      </Suspense>
    );
  }
  return <SignedIn />;
}

function SignedIn() {
  const me = useMe();
  const setup = useQuery({ queryKey: ['setup'], queryFn: () => api<{ needed: boolean }>('GET', '/api/setup'), enabled: me.isError });
  if (me.isPending || (me.isError && setup.isPending)) return <Loading />;
  if (!me.data) {
    return (
      <Switch>
        <Route path="/setup">{setup.data?.needed ? <AuthPage mode="setup" /> : <Redirect to="/login" />}</Route>
        <Route path="/login">{setup.data?.needed ? <Redirect to="/setup" /> : <AuthPage mode="login" />}</Route>
        <Route path="/forgot">
          <ForgotPasswordPage />
        </Route>
        <Route>
          <Redirect to={setup.data?.needed ? '/setup' : '/login'} />
        </Route>
      </Switch>
    );
  }
  const first = me.data.workspaces[0];
  return (
    <Shell me={me.data}>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/w/:ws/s/:sheet/forms/:form">{(p) => <DesignerPage ws={p.ws} sheet={p.sheet} form={p.form} />}</Route>
          <Route path="/w/:ws/s/:sheet/documents/:doc">{(p) => <DocumentsPage ws={p.ws} sheet={p.sheet} doc={p.doc} />}</Route>
          <Route path="/w/:ws/s/:sheet/rules">{(p) => <RulesPage ws={p.ws} sheet={p.sheet} />}</Route>
          <Route path="/w/:ws/s/:sheet/documents">{(p) => <DocumentsPage ws={p.ws} sheet={p.sheet} />}</Route>
          <Route path="/w/:ws/s/:sheet/forms">{(p) => <DesignerPage ws={p.ws} sheet={p.sheet} />}</Route>
          <Route path="/w/:ws/s/:sheet/new">{(p) => <NewRecordPage ws={p.ws} sheet={p.sheet} />}</Route>
          <Route path="/w/:ws/s/:sheet/r/:record">{(p) => <RecordPage ws={p.ws} sheet={p.sheet} recordId={p.record} />}</Route>
          <Route path="/w/:ws/s/:sheet">{(p) => <SheetPage ws={p.ws} sheet={p.sheet} />}</Route>
          <Route path="/w/:ws/templates">{(p) => <GalleryPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/members">{(p) => <MembersPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/roles/:role">{(p) => <RolesPage ws={p.ws} role={p.role} />}</Route>
          <Route path="/w/:ws/roles">{(p) => <RolesPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/workflows/:id">{(p) => <WorkflowEditorPage ws={p.ws} id={p.id} />}</Route>
          <Route path="/w/:ws/workflows">{(p) => <WorkflowsPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/webhooks">{(p) => <WebhooksPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/imports/:id">{(p) => <ImportPage ws={p.ws} id={p.id} />}</Route>
          <Route path="/w/:ws/imports">{(p) => <ImportsPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/audit">{(p) => <AuditPage ws={p.ws} />}</Route>
          <Route path="/w/:ws/api">{(p) => <ApiReferencePage ws={p.ws} />}</Route>
          <Route path="/w/:ws">{(p) => <HomePage ws={p.ws} />}</Route>
          <Route path="/settings">
            <SettingsPage />
          </Route>
          <Route path="/approvals">
            <ApprovalsPage />
          </Route>
          <Route>{first ? <Redirect to={`/w/${first.id}`} /> : <NoWorkspace />}</Route>
        </Switch>
      </Suspense>
    </Shell>
  );
}
