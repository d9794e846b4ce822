// A minimal ONNX model writer: just enough of the ONNX protobuf schema (onnx/onnx.proto) to
// describe a float32 graph of standard operators whose tensors are all graph inputs, so the
// acoustic network's training step can run in onnxruntime's WebAssembly SIMD kernels (MLAS)
// instead of scalar JavaScript loops. No weights are stored in the model: they are fed per call.

/** A symbolic (string) or fixed (number) dimension. */
export type Dim = string | number;

export type Attribute = { name: string; int: number } | { name: string; ints: number[] };

export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Attribute[];
}

export interface GraphSpec {
  name: string;
  /** float32 inputs and their shapes. */
  inputs: { name: string; dims: Dim[] }[];
  /** float32 outputs and their shapes ([] = scalar). */
  outputs: { name: string; dims: Dim[] }[];
  nodes: GraphNode[];
  /** Default-domain operator set the nodes are written against. */
  opset: number;
}

// protobuf wire format: varint (0) and length-delimited (2) fields are all ONNX needs here
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

const intField = (field: number, n: number): number[] => [...varint(field * 8), ...varint(n)];
const bytesField = (field: number, body: number[]): number[] => [...varint(field * 8 + 2), ...varint(body.length), ...body];
const stringField = (field: number, s: string): number[] => bytesField(field, [...new TextEncoder().encode(s)]);

const FLOAT = 1; // TensorProto.DataType
const ATTR_INT = 2, ATTR_INTS = 7; // AttributeProto.AttributeType
const IR_VERSION = 7;

function valueInfo(name: string, dims: Dim[]): number[] {
  // ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1 | dim_param=2}}}}}
  const shape = dims.flatMap((d) => bytesField(1, typeof d === 'number' ? intField(1, d) : stringField(2, d)));
  return [...stringField(1, name), ...bytesField(2, bytesField(1, [...intField(1, FLOAT), ...bytesField(2, shape)]))];
}

function attribute(a: Attribute): number[] {
  // AttributeProto{name=1, i=3, ints=8, type=20}
  if ('int' in a) return [...stringField(1, a.name), ...intField(3, a.int), ...intField(20, ATTR_INT)];
  return [...stringField(1, a.name), ...a.ints.flatMap((v) => intField(8, v)), ...intField(20, ATTR_INTS)];
}

function nodeProto(n: GraphNode): number[] {
  // NodeProto{input=1, output=2, op_type=4, attribute=5}
  return [
    ...n.inputs.flatMap((i) => stringField(1, i)),
    ...n.outputs.flatMap((o) => stringField(2, o)),
    ...stringField(4, n.op),
    ...(n.attributes ?? []).flatMap((a) => bytesField(5, attribute(a))),
  ];
}

/** Serialized ModelProto, ready for onnxruntime's InferenceSession.create. */
export function encodeModel(g: GraphSpec): Uint8Array {
  // GraphProto{node=1, name=2, input=11, output=12}; ModelProto{ir_version=1, graph=7, opset_import=8: {version=2}}
  const graph = [
    ...g.nodes.flatMap((n) => bytesField(1, nodeProto(n))),
    ...stringField(2, g.name),
    ...g.inputs.flatMap((v) => bytesField(11, valueInfo(v.name, v.dims))),
    ...g.outputs.flatMap((v) => bytesField(12, valueInfo(v.name, v.dims))),
  ];
  return Uint8Array.from([...intField(1, IR_VERSION), ...bytesField(7, graph), ...bytesField(8, intField(2, g.opset))]);
}
