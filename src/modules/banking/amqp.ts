import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Message } from 'amqplib';
import type { BankLink, IncomingFromBank } from './link.js';

export interface AmqpLinkSettings {
  /** amqp://user:password@host:port/vhost */
  readonly url: string;
  /** What the bank sends the module (statements, notifications, status reports). */
  readonly inQueue: string;
  /** What the module sends the bank (payouts, returns). */
  readonly outQueue: string;
  /** Messages the module refused, each with its reason in the `x-depositum-reason` header. */
  readonly failedQueue: string;
  /** Arguments the queues are declared with (their type, their version): a declaration must match the queue's, or RabbitMQ refuses it. */
  readonly queueArguments?: Readonly<Record<string, string | number | boolean>>;
}

export const REASON_HEADER = 'x-depositum-reason';

interface Taken extends IncomingFromBank {
  readonly delivery: ConsumeMessage;
  readonly channel: ConfirmChannel;
}

/** Messages the broker may push before the module acknowledges any: a round's worth and more, so the next is waiting when one ends. */
const PREFETCH = 2_000;

/**
 * The bank link over RabbitMQ (AMQP 0-9-1, amqplib): durable queues, persistent messages,
 * publisher confirms, manual acknowledgements. The module consumes with a prefetch window
 * (the broker pushes; a round takes what has arrived) and acknowledges a message only
 * after its effects are recorded, so a module killed in between gets it
 * again (its effects are idempotent); a refused one is published to the failed queue with
 * its reason, confirmed, and only then acknowledged; one of a round that failed is kept for
 * the next (see release). Messages done are acknowledged
 * together (one `multiple` acknowledgement up to the newest of the oldest run of messages
 * done), not one frame each: the broker's work per message is a third less. A lost connection is opened again on
 * the next round; whatever was taken and not acknowledged is redelivered by the broker.
 */
export class AmqpLink implements BankLink {
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  /** Pushed by the broker, not yet taken by a round. */
  private arrived: Taken[] = [];
  /** Taken by a round that failed before recording their effects: the next round takes them first (see release). */
  private returned: Taken[] = [];
  /** Delivery tags pushed on the current channel and not yet acknowledged, oldest first: true once done. */
  private unsettled = new Map<number, boolean>();
  private acknowledging = false;

  /** @param onArrival  told when the broker pushes a message, so the module can take it without waiting for its next round */
  constructor(private readonly settings: AmqpLinkSettings, private readonly onArrival?: () => void) {}

  async take(max: number): Promise<IncomingFromBank[]> {
    await this.open();
    const again = this.returned.splice(0, max);
    return again.length === 0 ? this.arrived.splice(0, max) : [...again, ...this.arrived.splice(0, max - again.length)];
  }

  /** Acknowledged with the other messages done in the same turn of the event loop. A message of a channel since lost is redelivered by the broker. */
  async done(message: IncomingFromBank): Promise<void> {
    const { delivery, channel } = message as Taken;
    if (channel !== this.channel) return;
    this.unsettled.set(delivery.fields.deliveryTag, true);
    if (!this.acknowledging) {
      this.acknowledging = true;
      setImmediate(() => this.acknowledge(channel));
    }
  }

  /**
   * One acknowledgement, `multiple`, of the oldest messages done: it acknowledges every
   * message not yet acknowledged up to its tag, so it stops before the first one that is
   * not done (a message still being taken is never acknowledged with the others). With
   * `each`, the messages done after that one are acknowledged one by one (when closing).
   * Runs outside any round (on the next turn of the event loop): it never throws.
   */
  private acknowledge(channel: ConfirmChannel, each = false): void {
    this.acknowledging = false;
    if (channel !== this.channel) return;
    let newest: number | undefined;
    for (const [tag, done] of this.unsettled) {
      if (!done) break;
      newest = tag;
      this.unsettled.delete(tag);
    }
    try {
      if (newest !== undefined) channel.ack(delivered(newest), true);
      if (!each) return;
      for (const [tag, done] of this.unsettled) {
        if (!done) continue;
        channel.ack(delivered(tag));
        this.unsettled.delete(tag);
      }
    } catch {
      // The channel closed meanwhile (amqplib refuses to write on it): the broker delivers those messages again, and their effects are idempotent.
    }
  }

  async quarantine(message: IncomingFromBank, reason: string): Promise<void> {
    const { delivery, channel } = message as Taken;
    channel.sendToQueue(this.settings.failedQueue, delivery.content, {
      persistent: true, messageId: message.name, contentType: delivery.properties.contentType ?? 'application/xml', headers: { [REASON_HEADER]: reason.slice(0, 2000) },
    });
    await channel.waitForConfirms();
    channel.ack(delivery);
    this.settledAlone(delivery, channel);
  }

  /**
   * A message of a round that failed (the node unreachable, say) before its effects were
   * recorded: kept, unacknowledged, for the next round, not given back to the broker. A
   * quorum queue counts every return toward its delivery limit (20 by default from
   * RabbitMQ 4.0, past which it drops the message), and an outage would send the whole
   * prefetch window back and forth each round. If the connection is lost meanwhile, the
   * broker delivers the message again, as it does every message not acknowledged.
   */
  async release(message: IncomingFromBank): Promise<void> {
    const taken = message as Taken;
    if (taken.channel === this.channel) this.returned.push(taken);
  }

  /** A message acknowledged on its own (set aside): those done after it may now be acknowledged together. */
  private settledAlone(delivery: ConsumeMessage, channel: ConfirmChannel): void {
    if (channel !== this.channel) return;
    this.unsettled.delete(delivery.fields.deliveryTag);
    this.acknowledge(channel);
  }

  async send(name: string, xml: string): Promise<void> {
    const channel = await this.open();
    channel.sendToQueue(this.settings.outQueue, Buffer.from(xml, 'utf8'), { persistent: true, messageId: name, contentType: 'application/xml' });
    await channel.waitForConfirms();
  }

  /**
   * Acknowledges what is done, then closes the channel before the connection: amqplib
   * writes a connection's close ahead of its channels' pending frames, so acknowledgements
   * sent just before would be lost (and those messages delivered again).
   */
  async close(): Promise<void> {
    const { connection, channel } = this;
    if (channel !== null) this.acknowledge(channel, true);
    this.connection = null;
    this.channel = null;
    this.arrived = [];
    this.returned = [];
    this.unsettled = new Map();
    await channel?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
  }

  private async open(): Promise<ConfirmChannel> {
    if (this.channel !== null) return this.channel;
    // Named for the broker's operators (rabbitmqctl list_connections client_properties, the management UI): which link this is.
    const connection = await amqp.connect(this.settings.url, { clientProperties: { connection_name: connectionName(this.settings) } });
    try {
      return await this.consumeOn(connection);
    } catch (error) {
      // A connection opened on a round that failed is closed, not left to pile up one per round.
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  /** The channel the queues are declared and consumed on; this link's once set up. */
  private async consumeOn(connection: ChannelModel): Promise<ConfirmChannel> {
    // Whatever was pushed and not acknowledged goes back to the queue with the connection: forget it here.
    const forget = (): void => {
      if (this.connection === connection) {
        this.connection = null;
        this.channel = null;
        this.arrived = [];
        this.returned = [];
        this.unsettled = new Map();
      }
    };
    connection.on('close', forget);
    connection.on('error', forget);
    this.checkDeliveryLimit(connection);
    const channel = await connection.createConfirmChannel();
    channel.on('close', forget);
    channel.on('error', forget);
    for (const queue of [this.settings.inQueue, this.settings.outQueue, this.settings.failedQueue]) await this.declare(channel, queue);
    await channel.prefetch(PREFETCH);
    this.connection = connection;
    this.channel = channel;
    await channel.consume(this.settings.inQueue, (delivery) => {
      if (delivery === null || this.channel !== channel) return; // cancelled by the broker, or a channel given up
      const id = delivery.properties.messageId as unknown;
      this.unsettled.set(delivery.fields.deliveryTag, false);
      this.arrived.push({ name: typeof id === 'string' && id !== '' ? id : `amqp-${delivery.fields.deliveryTag}`, body: delivery.content, delivery, channel });
      this.onArrival?.();
    }, { noAck: false });
    return channel;
  }

  /**
   * A delivery limit of -1 means "none" from RabbitMQ 4.0 (whose quorum queues otherwise
   * drop a message delivered 20 times), but on 3.x it drops a message the first time it is
   * given back (as this module does with a round that fails): refused there.
   */
  private checkDeliveryLimit(connection: ChannelModel): void {
    const limit = this.settings.queueArguments?.['x-delivery-limit'];
    const version = String(connection.connection.serverProperties.version ?? '');
    const major = Number.parseInt(version, 10);
    if (typeof limit === 'number' && limit < 1 && Number.isInteger(major) && major < 4) {
      throw new Error(`amqp.queueArguments "x-delivery-limit": ${limit} on RabbitMQ ${version} drops a message the first time the module gives it back: leave it out (RabbitMQ 3 sets no limit), or give a limit of 1 or more`);
    }
  }

  /** Declares a queue durable, with the settings' arguments; one the broker has with other arguments is refused, and the error says which setting to change. */
  private async declare(channel: ConfirmChannel, queue: string): Promise<void> {
    const { queueArguments } = this.settings;
    try {
      await channel.assertQueue(queue, { durable: true, ...(queueArguments !== undefined && { arguments: queueArguments }) });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 406) throw error;
      throw new Error(`queue ${queue} exists on the broker with other arguments than amqp.queueArguments ${JSON.stringify(queueArguments ?? {})}: set them as the broker has them (${(error as Error).message})`, { cause: error });
    }
  }
}

/** How the broker's operators see the link's connection. */
export function connectionName(settings: Pick<AmqpLinkSettings, 'inQueue'>): string {
  return `depositum banking module (${settings.inQueue})`;
}

/** A delivery as amqplib's ack takes it: only its tag is read. */
function delivered(deliveryTag: number): Message {
  return { fields: { deliveryTag } } as Message;
}
