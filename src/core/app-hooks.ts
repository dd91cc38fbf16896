import { Hook, TaggedHook, type HookEvent, type HookHandler } from "./hooks/hook.ts";
import type { AppEvent, CollectionEvent, RecordEnrichEvent, RecordEvent, SettingsReloadEvent } from "./events.ts";
import type { RequestEvent } from "./request-event.ts";
import type { FileDownloadRequestEvent, FileTokenRequestEvent } from "./files/file-events.ts";
import type { RealtimeConnectRequestEvent, RealtimeMessageEvent, RealtimeSubscribeRequestEvent } from "./realtime/realtime-events.ts";
import type { MailerEvent, MailerRecordEvent } from "./mail/mail-message.ts";
import type { RecordAuthWithOAuth2RequestEvent, RecordAuthWithOTPRequestEvent, RecordEmailChangeRequestEvent, RecordRequestOTPRequestEvent } from "./auth/auth-events.ts";

/** What `app.onXxx(...tags)` returns: a way to bind handlers. */
export interface HookBinder<E extends HookEvent> {
  bind(handler: HookHandler<E>): string;
  bindFunc(func: (e: E) => unknown): string;
  unbind(...ids: string[]): void;
}

function binder<E extends HookEvent>(hook: Hook<E>, tags: string[]): HookBinder<E> {
  return tags.length === 0 ? hook : new TaggedHook(hook, tags);
}

/** Every hook the app fires, by short name. Triggered by the data core and the HTTP layer. */
export class AppHookSet {
  readonly bootstrap = new Hook<AppEvent>("onBootstrap");
  readonly serve = new Hook<AppEvent & { server?: unknown; router?: unknown }>("onServe");
  readonly terminate = new Hook<AppEvent>("onTerminate");
  readonly settingsReload = new Hook<SettingsReloadEvent>("onSettingsReload");

  readonly recordValidate = new Hook<RecordEvent>("onRecordValidate");
  readonly recordCreate = new Hook<RecordEvent>("onRecordCreate");
  readonly recordCreateExecute = new Hook<RecordEvent>("onRecordCreateExecute");
  readonly recordAfterCreateSuccess = new Hook<RecordEvent>("onRecordAfterCreateSuccess");
  readonly recordAfterCreateError = new Hook<RecordEvent>("onRecordAfterCreateError");
  readonly recordUpdate = new Hook<RecordEvent>("onRecordUpdate");
  readonly recordUpdateExecute = new Hook<RecordEvent>("onRecordUpdateExecute");
  readonly recordAfterUpdateSuccess = new Hook<RecordEvent>("onRecordAfterUpdateSuccess");
  readonly recordAfterUpdateError = new Hook<RecordEvent>("onRecordAfterUpdateError");
  readonly recordDelete = new Hook<RecordEvent>("onRecordDelete");
  readonly recordDeleteExecute = new Hook<RecordEvent>("onRecordDeleteExecute");
  readonly recordAfterDeleteSuccess = new Hook<RecordEvent>("onRecordAfterDeleteSuccess");
  readonly recordAfterDeleteError = new Hook<RecordEvent>("onRecordAfterDeleteError");
  readonly recordEnrich = new Hook<RecordEnrichEvent>("onRecordEnrich");

  readonly collectionValidate = new Hook<CollectionEvent>("onCollectionValidate");
  readonly collectionCreate = new Hook<CollectionEvent>("onCollectionCreate");
  readonly collectionCreateExecute = new Hook<CollectionEvent>("onCollectionCreateExecute");
  readonly collectionAfterCreateSuccess = new Hook<CollectionEvent>("onCollectionAfterCreateSuccess");
  readonly collectionAfterCreateError = new Hook<CollectionEvent>("onCollectionAfterCreateError");
  readonly collectionUpdate = new Hook<CollectionEvent>("onCollectionUpdate");
  readonly collectionUpdateExecute = new Hook<CollectionEvent>("onCollectionUpdateExecute");
  readonly collectionAfterUpdateSuccess = new Hook<CollectionEvent>("onCollectionAfterUpdateSuccess");
  readonly collectionAfterUpdateError = new Hook<CollectionEvent>("onCollectionAfterUpdateError");
  readonly collectionDelete = new Hook<CollectionEvent>("onCollectionDelete");
  readonly collectionDeleteExecute = new Hook<CollectionEvent>("onCollectionDeleteExecute");
  readonly collectionAfterDeleteSuccess = new Hook<CollectionEvent>("onCollectionAfterDeleteSuccess");
  readonly collectionAfterDeleteError = new Hook<CollectionEvent>("onCollectionAfterDeleteError");

  readonly recordsListRequest = new Hook<RequestEvent>("onRecordsListRequest");
  readonly recordViewRequest = new Hook<RequestEvent>("onRecordViewRequest");
  readonly recordCreateRequest = new Hook<RequestEvent>("onRecordCreateRequest");
  readonly recordUpdateRequest = new Hook<RequestEvent>("onRecordUpdateRequest");
  readonly recordDeleteRequest = new Hook<RequestEvent>("onRecordDeleteRequest");
  readonly recordAuthRequest = new Hook<RequestEvent>("onRecordAuthRequest");
  readonly recordAuthWithPasswordRequest = new Hook<RequestEvent>("onRecordAuthWithPasswordRequest");
  readonly recordAuthRefreshRequest = new Hook<RequestEvent>("onRecordAuthRefreshRequest");
  readonly recordAuthWithOAuth2Request = new Hook<RecordAuthWithOAuth2RequestEvent>("onRecordAuthWithOAuth2Request");
  readonly recordRequestOTPRequest = new Hook<RecordRequestOTPRequestEvent>("onRecordRequestOTPRequest");
  readonly recordAuthWithOTPRequest = new Hook<RecordAuthWithOTPRequestEvent>("onRecordAuthWithOTPRequest");
  readonly recordRequestPasswordResetRequest = new Hook<RequestEvent>("onRecordRequestPasswordResetRequest");
  readonly recordConfirmPasswordResetRequest = new Hook<RequestEvent>("onRecordConfirmPasswordResetRequest");
  readonly recordRequestVerificationRequest = new Hook<RequestEvent>("onRecordRequestVerificationRequest");
  readonly recordConfirmVerificationRequest = new Hook<RequestEvent>("onRecordConfirmVerificationRequest");
  readonly recordRequestEmailChangeRequest = new Hook<RecordEmailChangeRequestEvent>("onRecordRequestEmailChangeRequest");
  readonly recordConfirmEmailChangeRequest = new Hook<RecordEmailChangeRequestEvent>("onRecordConfirmEmailChangeRequest");
  readonly mailerSend = new Hook<MailerEvent>("onMailerSend");
  readonly mailerRecordAuthAlertSend = new Hook<MailerRecordEvent>("onMailerRecordAuthAlertSend");
  readonly mailerRecordPasswordResetSend = new Hook<MailerRecordEvent>("onMailerRecordPasswordResetSend");
  readonly mailerRecordVerificationSend = new Hook<MailerRecordEvent>("onMailerRecordVerificationSend");
  readonly mailerRecordEmailChangeSend = new Hook<MailerRecordEvent>("onMailerRecordEmailChangeSend");
  readonly mailerRecordOTPSend = new Hook<MailerRecordEvent>("onMailerRecordOTPSend");
  readonly collectionsListRequest = new Hook<RequestEvent>("onCollectionsListRequest");
  readonly collectionViewRequest = new Hook<RequestEvent>("onCollectionViewRequest");
  readonly collectionCreateRequest = new Hook<RequestEvent>("onCollectionCreateRequest");
  readonly collectionUpdateRequest = new Hook<RequestEvent>("onCollectionUpdateRequest");
  readonly collectionDeleteRequest = new Hook<RequestEvent>("onCollectionDeleteRequest");
  readonly collectionsImportRequest = new Hook<RequestEvent>("onCollectionsImportRequest");
  readonly settingsListRequest = new Hook<RequestEvent>("onSettingsListRequest");
  readonly settingsUpdateRequest = new Hook<RequestEvent>("onSettingsUpdateRequest");
  readonly fileDownloadRequest = new Hook<FileDownloadRequestEvent>("onFileDownloadRequest");
  readonly fileTokenRequest = new Hook<FileTokenRequestEvent>("onFileTokenRequest");

  readonly realtimeConnectRequest = new Hook<RealtimeConnectRequestEvent>("onRealtimeConnectRequest");
  readonly realtimeSubscribeRequest = new Hook<RealtimeSubscribeRequestEvent>("onRealtimeSubscribeRequest");
  readonly realtimeMessageSend = new Hook<RealtimeMessageEvent>("onRealtimeMessageSend");
}

/**
 * The `onXxx(...tags)` accessors with PocketBase's names. Record and collection hooks take
 * optional tags (collection names or ids) to run only for those collections.
 */
export class AppHooks {
  /** The hook instances (used by the core and the HTTP layer to trigger them). */
  readonly hooks = new AppHookSet();

  /** After the app has opened its databases and loaded settings and collections. */
  onBootstrap(): HookBinder<AppEvent> { return this.hooks.bootstrap; }
  /** When the HTTP server starts. */
  onServe(): HookBinder<AppEvent & { server?: unknown; router?: unknown }> { return this.hooks.serve; }
  /** When the app shuts down. */
  onTerminate(): HookBinder<AppEvent> { return this.hooks.terminate; }
  /** After settings were (re)loaded. */
  onSettingsReload(): HookBinder<SettingsReloadEvent> { return this.hooks.settingsReload; }

  /** Record validation (create and update). */
  onRecordValidate(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordValidate, tags); }
  /** Before a record is validated and inserted. */
  onRecordCreate(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordCreate, tags); }
  /** The INSERT itself. */
  onRecordCreateExecute(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordCreateExecute, tags); }
  /** After a create was committed. */
  onRecordAfterCreateSuccess(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterCreateSuccess, tags); }
  /** After a create failed. */
  onRecordAfterCreateError(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterCreateError, tags); }
  /** Before a record is validated and updated. */
  onRecordUpdate(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordUpdate, tags); }
  /** The UPDATE itself. */
  onRecordUpdateExecute(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordUpdateExecute, tags); }
  /** After an update was committed. */
  onRecordAfterUpdateSuccess(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterUpdateSuccess, tags); }
  /** After an update failed. */
  onRecordAfterUpdateError(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterUpdateError, tags); }
  /** Before a record is deleted. */
  onRecordDelete(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordDelete, tags); }
  /** The DELETE itself (with relation cascades). */
  onRecordDeleteExecute(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordDeleteExecute, tags); }
  /** After a delete was committed. */
  onRecordAfterDeleteSuccess(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterDeleteSuccess, tags); }
  /** After a delete failed. */
  onRecordAfterDeleteError(...tags: string[]): HookBinder<RecordEvent> { return binder(this.hooks.recordAfterDeleteError, tags); }
  /** Before a record is returned to a client. */
  onRecordEnrich(...tags: string[]): HookBinder<RecordEnrichEvent> { return binder(this.hooks.recordEnrich, tags); }

  /** Collection validation. */
  onCollectionValidate(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionValidate, tags); }
  /** Before a collection is created. */
  onCollectionCreate(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionCreate, tags); }
  /** The collection insert and table creation. */
  onCollectionCreateExecute(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionCreateExecute, tags); }
  /** After a collection create was committed. */
  onCollectionAfterCreateSuccess(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterCreateSuccess, tags); }
  /** After a collection create failed. */
  onCollectionAfterCreateError(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterCreateError, tags); }
  /** Before a collection is updated. */
  onCollectionUpdate(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionUpdate, tags); }
  /** The collection update and schema sync. */
  onCollectionUpdateExecute(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionUpdateExecute, tags); }
  /** After a collection update was committed. */
  onCollectionAfterUpdateSuccess(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterUpdateSuccess, tags); }
  /** After a collection update failed. */
  onCollectionAfterUpdateError(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterUpdateError, tags); }
  /** Before a collection is deleted. */
  onCollectionDelete(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionDelete, tags); }
  /** The collection delete and table drop. */
  onCollectionDeleteExecute(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionDeleteExecute, tags); }
  /** After a collection delete was committed. */
  onCollectionAfterDeleteSuccess(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterDeleteSuccess, tags); }
  /** After a collection delete failed. */
  onCollectionAfterDeleteError(...tags: string[]): HookBinder<CollectionEvent> { return binder(this.hooks.collectionAfterDeleteError, tags); }

  /** `GET /api/collections/{c}/records`. */
  onRecordsListRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordsListRequest, tags); }
  /** `GET /api/collections/{c}/records/{id}`. */
  onRecordViewRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordViewRequest, tags); }
  /** `POST /api/collections/{c}/records`. */
  onRecordCreateRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordCreateRequest, tags); }
  /** `PATCH /api/collections/{c}/records/{id}`. */
  onRecordUpdateRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordUpdateRequest, tags); }
  /** `DELETE /api/collections/{c}/records/{id}`. */
  onRecordDeleteRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordDeleteRequest, tags); }
  /** Every successful authentication response. */
  onRecordAuthRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordAuthRequest, tags); }
  /** `auth-with-password`. */
  onRecordAuthWithPasswordRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordAuthWithPasswordRequest, tags); }
  /** `auth-refresh`. */
  onRecordAuthRefreshRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordAuthRefreshRequest, tags); }
  /** `auth-with-oauth2`. */
  onRecordAuthWithOAuth2Request(...tags: string[]): HookBinder<RecordAuthWithOAuth2RequestEvent> { return binder(this.hooks.recordAuthWithOAuth2Request, tags); }
  /** `request-otp`. */
  onRecordRequestOTPRequest(...tags: string[]): HookBinder<RecordRequestOTPRequestEvent> { return binder(this.hooks.recordRequestOTPRequest, tags); }
  /** `auth-with-otp`. */
  onRecordAuthWithOTPRequest(...tags: string[]): HookBinder<RecordAuthWithOTPRequestEvent> { return binder(this.hooks.recordAuthWithOTPRequest, tags); }
  /** `request-password-reset`. */
  onRecordRequestPasswordResetRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordRequestPasswordResetRequest, tags); }
  /** `confirm-password-reset`. */
  onRecordConfirmPasswordResetRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordConfirmPasswordResetRequest, tags); }
  /** `request-verification`. */
  onRecordRequestVerificationRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordRequestVerificationRequest, tags); }
  /** `confirm-verification`. */
  onRecordConfirmVerificationRequest(...tags: string[]): HookBinder<RequestEvent> { return binder(this.hooks.recordConfirmVerificationRequest, tags); }
  /** `request-email-change`. */
  onRecordRequestEmailChangeRequest(...tags: string[]): HookBinder<RecordEmailChangeRequestEvent> { return binder(this.hooks.recordRequestEmailChangeRequest, tags); }
  /** `confirm-email-change`. */
  onRecordConfirmEmailChangeRequest(...tags: string[]): HookBinder<RecordEmailChangeRequestEvent> { return binder(this.hooks.recordConfirmEmailChangeRequest, tags); }
  /** Every mail the app sends. */
  onMailerSend(): HookBinder<MailerEvent> { return this.hooks.mailerSend; }
  /** The "login from a new location" mail. */
  onMailerRecordAuthAlertSend(...tags: string[]): HookBinder<MailerRecordEvent> { return binder(this.hooks.mailerRecordAuthAlertSend, tags); }
  /** The password reset mail. */
  onMailerRecordPasswordResetSend(...tags: string[]): HookBinder<MailerRecordEvent> { return binder(this.hooks.mailerRecordPasswordResetSend, tags); }
  /** The verification mail. */
  onMailerRecordVerificationSend(...tags: string[]): HookBinder<MailerRecordEvent> { return binder(this.hooks.mailerRecordVerificationSend, tags); }
  /** The email change confirmation mail. */
  onMailerRecordEmailChangeSend(...tags: string[]): HookBinder<MailerRecordEvent> { return binder(this.hooks.mailerRecordEmailChangeSend, tags); }
  /** The one-time password mail. */
  onMailerRecordOTPSend(...tags: string[]): HookBinder<MailerRecordEvent> { return binder(this.hooks.mailerRecordOTPSend, tags); }
  /** `GET /api/collections`. */
  onCollectionsListRequest(): HookBinder<RequestEvent> { return this.hooks.collectionsListRequest; }
  /** `GET /api/collections/{c}`. */
  onCollectionViewRequest(): HookBinder<RequestEvent> { return this.hooks.collectionViewRequest; }
  /** `POST /api/collections`. */
  onCollectionCreateRequest(): HookBinder<RequestEvent> { return this.hooks.collectionCreateRequest; }
  /** `PATCH /api/collections/{c}`. */
  onCollectionUpdateRequest(): HookBinder<RequestEvent> { return this.hooks.collectionUpdateRequest; }
  /** `DELETE /api/collections/{c}`. */
  onCollectionDeleteRequest(): HookBinder<RequestEvent> { return this.hooks.collectionDeleteRequest; }
  /** `PUT /api/collections/import`. */
  onCollectionsImportRequest(): HookBinder<RequestEvent> { return this.hooks.collectionsImportRequest; }
  /** `GET /api/settings`. */
  onSettingsListRequest(): HookBinder<RequestEvent> { return this.hooks.settingsListRequest; }
  /** `PATCH /api/settings`. */
  onSettingsUpdateRequest(): HookBinder<RequestEvent> { return this.hooks.settingsUpdateRequest; }
  /** `GET /api/files/{collection}/{recordId}/{filename}` (tags: collection names/ids). */
  onFileDownloadRequest(...tags: string[]): HookBinder<FileDownloadRequestEvent> { return binder(this.hooks.fileDownloadRequest, tags); }
  /** `POST /api/files/token` (tags: auth collection names/ids). */
  onFileTokenRequest(...tags: string[]): HookBinder<FileTokenRequestEvent> { return binder(this.hooks.fileTokenRequest, tags); }

  /** `GET /api/realtime`; code after `await e.next()` runs when the connection ends. */
  onRealtimeConnectRequest(): HookBinder<RealtimeConnectRequestEvent> { return this.hooks.realtimeConnectRequest; }
  /** `POST /api/realtime` (setting a client's subscriptions). */
  onRealtimeSubscribeRequest(): HookBinder<RealtimeSubscribeRequestEvent> { return this.hooks.realtimeSubscribeRequest; }
  /** Every realtime message written to a client. */
  onRealtimeMessageSend(): HookBinder<RealtimeMessageEvent> { return this.hooks.realtimeMessageSend; }
}
