/**
 * The one place that turns a workspace ({@link ./workspace.ts}) into each kernel's arguments.
 * Every builder returns a {@linkcode Call}, typed with the kernel's own parameter tuple: an
 * argument list of the wrong length or for another kernel does not type-check. The rows
 * (`from, to`) are left to whoever runs the call: {@linkcode runCall} on one thread, or a thread
 * pool that splits them.
 *
 * The batch buffers default to the current batch's (the layout's own); the builders that take
 * `batch` also serve the spare set in which the next batch is prepared. By what they serve:
 *
 * - arguments/images.ts: a batch's images into the kernels (count, compress, gather, store,
 *   transpose);
 * - arguments/layers.ts: the MLP's layers forward and backward, and momentum;
 * - arguments/conv.ts: the convolutional network's layers.
 *
 * @module
 */

export * from "./arguments/images.ts";
export * from "./arguments/layers.ts";
export * from "./arguments/conv.ts";
