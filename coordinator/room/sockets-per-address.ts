/**
 * Open sockets per client address, shared by both hosts: the Node host counts every socket of
 * the process and refuses an upgrade past the limit; a PartyKit room counts its own sockets
 * (each room is its own Durable Object) by the address Cloudflare's edge puts in
 * `cf-connecting-ip`, and closes the extra socket once it has opened.
 */

/** Open sockets one address may hold (a lab behind one NAT still fits many spectators). */
export const maxSocketsPerAddress = 256;

export interface SocketsPerAddress {
  /** whether `address` already holds the most sockets */
  full(address: string): boolean;
  /** counts an opened socket from `address` */
  open(address: string): void;
  /** forgets one socket from `address` */
  close(address: string): void;
}

export function createSocketsPerAddress(most = maxSocketsPerAddress): SocketsPerAddress {
  const open = new Map<string, number>();
  return {
    full: (address) => (open.get(address) ?? 0) >= most,
    open(address) {
      open.set(address, (open.get(address) ?? 0) + 1);
    },
    close(address) {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    },
  };
}

/** What a client whose address holds too many sockets is told. */
export function tooManySocketsMessage(address: string): string {
  return `Too many open connections from ${address} (at most ${maxSocketsPerAddress}); close some tabs or agents and try again.`;
}

/** The close reason of a socket opened past the limit (a close reason holds at most 123 bytes). */
export const tooManySocketsReason = `too many connections from one address: at most ${maxSocketsPerAddress}`;
