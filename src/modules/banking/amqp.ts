import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
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
 * its reason, confirmed, and only then acknowledged. A lost connection is opened again on
 * the next round; whatever was taken and not acknowledged is redelivered by the broker.
 */
export class AmqpLink implements BankLink {
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  /** Pushed by the broker, not yet taken by a round. */
  private arrived: Taken[] = [];

  /** @param onArrival  told when the broker pushes a message, so the module can take it without waiting for its next round */
  constructor(private readonly settings: AmqpLinkSettings, private readonly onArrival?: () => void) {}

  async take(max: number): Promise<IncomingFromBank[]> {
    await this.open();
    return this.arrived.splice(0, max);
  }

  async done(message: IncomingFromBank): Promise<void> {
    const { delivery, channel } = message as Taken;
    channel.ack(delivery);
  }

  async quarantine(message: IncomingFromBank, reason: string): Promise<void> {
    const { delivery, channel } = message as Taken;
    channel.sendToQueue(this.settings.failedQueue, delivery.content, {
      persistent: true, messageId: message.name, contentType: delivery.properties.contentType ?? 'application/xml', headers: { [REASON_HEADER]: reason.slice(0, 2000) },
    });
    await channel.waitForConfirms();
    channel.ack(delivery);
  }

  async release(message: IncomingFromBank): Promise<void> {
    const { delivery, channel } = message as Taken;
    if (channel === this.channel) channel.nack(delivery, false, true);
  }

  async send(name: string, xml: string): Promise<void> {
    const channel = await this.open();
    channel.sendToQueue(this.settings.outQueue, Buffer.from(xml, 'utf8'), { persistent: true, messageId: name, contentType: 'application/xml' });
    await channel.waitForConfirms();
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    this.arrived = [];
    await connection?.close().catch(() => undefined);
  }

  private async open(): Promise<ConfirmChannel> {
    if (this.channel !== null) return this.channel;
    const connection = await amqp.connect(this.settings.url);
    // Whatever was pushed and not acknowledged goes back to the queue with the connection: forget it here.
    const forget = (): void => {
      if (this.connection === connection) {
        this.connection = null;
        this.channel = null;
        this.arrived = [];
      }
    };
    connection.on('close', forget);
    connection.on('error', forget);
    const channel = await connection.createConfirmChannel();
    channel.on('close', forget);
    channel.on('error', forget);
    for (const queue of [this.settings.inQueue, this.settings.outQueue, this.settings.failedQueue]) await channel.assertQueue(queue, { durable: true });
    await channel.prefetch(PREFETCH);
    this.connection = connection;
    this.channel = channel;
    await channel.consume(this.settings.inQueue, (delivery) => {
      if (delivery === null || this.channel !== channel) return; // cancelled by the broker, or a channel given up
      const id = delivery.properties.messageId as unknown;
      this.arrived.push({ name: typeof id === 'string' && id !== '' ? id : `amqp-${delivery.fields.deliveryTag}`, body: delivery.content, delivery, channel });
      this.onArrival?.();
    }, { noAck: false });
    return channel;
  }
}
