import type { Webhook } from 'standardwebhooks';
import { displayUrl } from '../../util/displayUrl';
import type { DeliveryJobData } from './deliveryJob';
import { ComfyWebhookError } from './errors';

/**
 * One attempt of a delivery: signs the body now (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`, per Standard Webhooks) and POSTs it. Resolves to the receiver's 2xx status.
 * @throws ComfyWebhookError on a non-2xx answer, no answer within `timeoutMs`, or no connection.
 * @example const status = await sendWebhook(webhookSigner(secret), delivery, 10_000);
 */
export async function sendWebhook(signer: Webhook, delivery: DeliveryJobData, timeoutMs: number): Promise<number> {
  const timestamp = new Date();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'comfyui-rx',
    'webhook-id': delivery.webhookId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signer.sign(delivery.webhookId, timestamp, delivery.body),
  };
  let response: Response;
  try {
    response = await fetch(delivery.url, { method: 'POST', headers, body: delivery.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new ComfyWebhookError(displayUrl(delivery.url), timedOut ? 'timeout' : 'network', delivery.webhookId);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status > 299) throw new ComfyWebhookError(displayUrl(delivery.url), 'status', delivery.webhookId, response.status);
  return response.status;
}
