/**
 * "A new version is ready — Reload", through workbox-window
 * (vite-plugin-pwa's useRegisterSW). The new service worker waits until the
 * person chooses; reloading keeps the address, and with it the route and
 * filters, which live in the hash.
 */
import { Show, type JSX } from "solid-js";
import { useRegisterSW } from "virtual:pwa-register/solid";

export function UpdatePrompt(): JSX.Element {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError(error: unknown) {
      // no service worker (private mode, http): the app works online as before
      console.warn("Tally: service worker registration failed", error);
    },
  });

  return (
    <Show when={needRefresh() || offlineReady()}>
      <div class="toast" role="status" data-testid="update-prompt">
        <Show
          when={needRefresh()}
          fallback={
            <>
              <span>Tally is ready to work offline.</span>
              <button type="button" class="button button-small" onClick={() => setOfflineReady(false)}>
                OK
              </button>
            </>
          }
        >
          <span>A new version is ready.</span>
          <button type="button" class="button button-small button-primary" onClick={() => void updateServiceWorker(true)} data-testid="update-reload">
            Reload
          </button>
          <button type="button" class="button button-small" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </Show>
      </div>
    </Show>
  );
}
