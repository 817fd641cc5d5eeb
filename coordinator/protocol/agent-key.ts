/**
 * An agent's key: HMAC-SHA256 of its id under the coordinator's agent-key secret, base64url. The
 * API hands it out once, at enrollment, for an id the API chose; any host holding the secret can
 * check it at connect time without a database (WebCrypto: Node and workerd alike), and a key is
 * good for its own id only, so an agent cannot pass itself off as another.
 */

const encoder = new TextEncoder();

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function deriveAgentKey(secret: string, agentId: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return toBase64Url(await crypto.subtle.sign("HMAC", key, encoder.encode(`bench-race agent key\n${agentId}`)));
}
