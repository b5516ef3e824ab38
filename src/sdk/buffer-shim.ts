/** The `Buffer` the chain's byte handling uses, for a browser bundle (injected where `Buffer` is used freely). */
export { Buffer } from 'buffer';
