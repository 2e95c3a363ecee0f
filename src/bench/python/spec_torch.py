"""Builds a PyTorch module from Netbook's spec JSON (netbook.dsl.SpecJson.write, format netbook-spec/1),
with the forward semantics of Netbook's DJL compiler (netbook.internal.djl.Compiler / ContainerBlock):

  build(spec_dict) -> NetbookNet      spec_dict = json.load(open("net.json"))

NetbookNet.forward(x) returns the main output; in training mode, when the spec holds auxiliary
heads, it returns the tuple (main, aux1, aux2, ...) in Netbook's output order, and
NetbookNet.aux_weights lists their loss weights (NetbookNet.loss computes Netbook's
Losses.withAuxiliary(crossEntropy): CE(main) + sum w_i * CE(aux_i)).

Shapes are tracked without the batch axis, as in the spec. Records the peer cannot build
(custom layers, unknown types) raise SpecError naming the block path.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PREFIX = "netbook.dsl.spec."

# SpecJson's short type names (netbook-spec/1 since 2026-12), as the record class names the builder
# below dispatches on; specs written earlier name the classes themselves and still work.
SHORT_NAMES = {
    "node": "netbook.dsl.Node", "sequential": "Sequential", "branches": "Branches", "residual": "Residual",
    "aux-head": "AuxHead", "conv2d": "Conv2d", "conv-transpose2d": "ConvTranspose2d", "batch-norm": "BatchNorm",
    "layer-norm": "LayerNorm", "lrn": "LocalResponseNorm", "activation": "Activation", "pool2d": "Pool2d",
    "adaptive-avg-pool": "AdaptiveAvgPool", "dropout": "Dropout", "flatten": "Flatten", "reshape": "Reshape",
    "linear": "Linear", "embedding": "Embedding", "normalize": "Normalize",
}


def _type(obj):
    """The class name of a spec object's @type, short names resolved."""
    t = obj.get("@type", "")
    if t in SHORT_NAMES:
        full = SHORT_NAMES[t]
        return full if full.startswith("netbook.") else PREFIX + full
    return t


class SpecError(ValueError):
    pass


def _err(path, msg):
    return SpecError((path or "<body>") + ": " + msg)


def _window_out(path, kind, axis, n, kernel, stride, pad, dilation, ceil):
    """PyTorch's output size of a convolution or pool along one axis (netbook.dsl.spec.Checks.windowOut)."""
    effective = dilation * (kernel - 1) + 1
    if n + 2 * pad < effective:
        raise _err(path, "%s: kernel %d is larger than the padded input %s %d" % (kind, effective, axis, n + 2 * pad))
    span = n + 2 * pad - effective
    out = (-(-span // stride) if ceil else span // stride) + 1
    if ceil and (out - 1) * stride >= n + pad:
        out -= 1
    return out


def _image(path, kind, shape):
    if len(shape) != 3:
        raise _err(path, "%s expects (C, H, W) input, the spec gives %s" % (kind, list(shape)))


def _safe_name(owner, name):
    """A module attribute name for a spec node name (no dots, no clash with nn.Module attributes)."""
    n = str(name).replace(".", "_") or "_"
    while n in owner._modules or (hasattr(owner, n) and n not in owner._modules):
        n += "_"
    return n


# ---------------------------------------------------------------- containers
# Containers take (x, aux) and append auxiliary outputs to the list aux, in Netbook's order.

class _Container(nn.Module):
    def _add_children(self, children):
        """Registers (name, module) pairs in spec order."""
        self.order = []
        for name, m in children:
            n = _safe_name(self, name)
            self.add_module(n, m)
            self.order.append(n)

    def _run(self, mods, x, aux):
        for m in mods:
            x = m(x, aux) if isinstance(m, _Container) else m(x)
        return x


class Seq(_Container):
    def __init__(self, children):
        super().__init__()
        self._add_children(children)

    def forward(self, x, aux):
        return self._run([self._modules[n] for n in self.order], x, aux)


class Branches(_Container):
    """Parallel branches on the same input, concatenated on channels (axis 1) or summed in order."""

    def __init__(self, children, concat):
        super().__init__()
        self.concat = concat
        self._add_children(children)

    def forward(self, x, aux):
        parts = [self._run([self._modules[n]], x, aux) for n in self.order]
        if self.concat:
            return torch.cat(parts, 1)
        out = parts[0]
        for p in parts[1:]:
            out = out + p
        return out


class Residual(_Container):
    """out = shortcut(x) + scale * body(x); body children sit directly under the residual, the
    shortcut under 'shortcut'. Body auxiliary outputs come before the shortcut's."""

    def __init__(self, body, shortcut, scale):
        super().__init__()
        self.scale = float(scale)
        self.body_order = []
        for name, m in body:
            n = _safe_name(self, name)
            self.add_module(n, m)
            self.body_order.append(n)
        self.shortcut_name = None
        if shortcut is not None:
            self.shortcut_name = _safe_name(self, "shortcut")
            self.add_module(self.shortcut_name, shortcut)

    def forward(self, x, aux):
        body = self._run([self._modules[n] for n in self.body_order], x, aux)
        short = x if self.shortcut_name is None else self._run([self._modules[self.shortcut_name]], x, aux)
        return short + body if self.scale == 1.0 else short + body * self.scale


class AuxHead(_Container):
    """Passes its input on unchanged; in training adds the head's output as an auxiliary output.
    (Netbook's DJL block also evaluates the head in inference and drops the result; here it is skipped.)"""

    def __init__(self, head, weight):
        super().__init__()
        self.head = head
        self.weight = float(weight)

    def forward(self, x, aux):
        if self.training:
            # Auxiliary outputs nested inside a head are dropped, as in ContainerBlock (AUX).
            aux.append(self.head(x, []))
        return x


# ---------------------------------------------------------------- leaves

class BatchNorm(nn.Module):
    """Batch norm on axis 1. Netbook/DJL momentum m means running = m * running + (1 - m) * batch,
    which is PyTorch momentum 1 - m. Without scale (center) gamma (beta) is fixed at 1 (0), not learned."""

    def __init__(self, channels, eps, momentum, scale, center):
        super().__init__()
        self.eps = float(eps)
        self.momentum = 1.0 - float(momentum)
        self.weight = nn.Parameter(torch.ones(channels)) if scale else None
        self.bias = nn.Parameter(torch.zeros(channels)) if center else None
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))

    def forward(self, x):
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            self.training, self.momentum, self.eps)

    def extra_repr(self):
        return "%d, eps=%g, torch_momentum=%g, scale=%s, center=%s" % (
            self.running_mean.numel(), self.eps, self.momentum, self.weight is not None, self.bias is not None)


class Act(nn.Module):
    def __init__(self, kind, alpha, axis):
        super().__init__()
        self.kind, self.alpha = kind, float(alpha)
        self.axis = axis if axis < 0 else axis + 1  # spec axes exclude the batch axis

    def forward(self, x):
        k = self.kind
        if k == "RELU":
            return F.relu(x)
        if k == "ELU":
            return F.elu(x, self.alpha)
        if k == "GELU":
            return F.gelu(x)
        if k == "TANH":
            return torch.tanh(x)
        if k == "SIGMOID":
            return torch.sigmoid(x)
        if k == "SOFTMAX":
            return F.softmax(x, self.axis)
        if k == "GLU":
            return F.glu(x, self.axis)
        raise RuntimeError(k)

    def extra_repr(self):
        return self.kind


class GlobalAvgPool(nn.Module):
    """(N, C, H, W) -> (N, C): the mean over H and W."""

    def forward(self, x):
        return x.mean((2, 3))


class BatchFlatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class Normalize(nn.Module):
    """(x - mean) / std per channel; the values are part of the spec, not weights (no state_dict entries)."""
    def __init__(self, mean, std, rank):
        super().__init__()
        view = (1, -1, 1, 1) if rank == 3 else (1, -1)
        self.register_buffer("mean", torch.tensor([float(v) for v in mean]).reshape(view), persistent=False)
        self.register_buffer("std", torch.tensor([float(v) for v in std]).reshape(view), persistent=False)

    def forward(self, x):
        return (x - self.mean) / self.std


class Reshape(nn.Module):
    def __init__(self, dims):
        super().__init__()
        self.dims = tuple(int(d) for d in dims)

    def forward(self, x):
        return x.reshape((-1,) + self.dims)


class Embedding(nn.Embedding):
    def forward(self, x):
        return super().forward(x.long())


ACT_KINDS = ("RELU", "ELU", "GELU", "TANH", "SIGMOID", "SOFTMAX", "GLU")


# ---------------------------------------------------------------- the builder

def _node_list(obj, key, path):
    items = obj.get(key)
    if items is None:
        raise _err(path, "missing '%s'" % key)
    out = []
    for it in items:
        if _type(it) != "netbook.dsl.Node":
            raise _err(path, "expected netbook.dsl.Node, found %s" % it.get("@type"))
        out.append((it["name"], it["layer"]))
    return out


def _build(layer, shape, path, aux_weights=None, in_aux=False, compat=False):
    """Returns (module, output shape) for the spec record `layer` at input `shape` (no batch axis)."""
    t = _type(layer)
    if t == "netbook.dsl.Node":  # a named layer in a position that takes a layer
        return _build(layer["layer"], shape, path, aux_weights, in_aux, compat)
    kind = t[len(PREFIX):] if t.startswith(PREFIX) else None
    g = layer.get
    shape = tuple(int(d) for d in shape)

    if kind == "Sequential":
        children = []
        for name, child in _node_list(layer, "items", path):
            cpath = name if not path else path + "." + name
            m, shape = _build(child, shape, cpath, aux_weights, in_aux, compat)
            children.append((name, m))
        return Seq(children), shape

    if kind == "Branches":
        concat = bool(g("concat", True))
        children, outs = [], []
        for name, child in _node_list(layer, "branches", path):
            cpath = name if not path else path + "." + name
            m, s = _build(child, shape, cpath, aux_weights, in_aux, compat)
            children.append((name, m))
            outs.append((name, s))
        first = outs[0][1]
        for name, s in outs[1:]:
            if concat and (len(s) != len(first) or s[1:] != first[1:]):
                raise _err(path, "branch %s gives %s but %s gives %s; concatenation needs every other axis equal"
                           % (name, list(s), outs[0][0], list(first)))
            if not concat and s != first:
                raise _err(path, "branch %s gives %s but %s gives %s; a sum needs equal shapes"
                           % (name, list(s), outs[0][0], list(first)))
        out = (sum(s[0] for _, s in outs),) + first[1:] if concat else first
        return Branches(children, concat), out

    if kind == "Residual":
        body = g("body")
        body_children, body_shape = [], shape
        for name, child in _node_list(body, "items", path):
            cpath = name if not path else path + "." + name
            m, body_shape = _build(child, body_shape, cpath, aux_weights, in_aux, compat)
            body_children.append((name, m))
        shortcut, short_shape = None, shape
        if g("shortcut") is not None:
            spath = "shortcut" if not path else path + ".shortcut"
            shortcut, short_shape = _build(g("shortcut"), shape, spath, aux_weights, in_aux, compat)
        if body_shape != short_shape:
            raise _err(path, "Residual: the body gives %s but the shortcut gives %s" % (list(body_shape), list(short_shape)))
        return Residual(body_children, shortcut, g("scale", 1.0)), body_shape

    if kind == "AuxHead":
        if in_aux:
            raise _err(path, "AuxHead inside an auxiliary head is not supported (Netbook drops its output)")
        weight = float(g("lossWeight"))
        head, head_shape = _build(g("head"), shape, path, None, True, compat)
        if aux_weights is not None:
            aux_weights.append(weight)
        return AuxHead(head, weight), shape

    if kind == "Conv2d":
        _image(path, kind, shape)
        c, h, w = shape
        groups = int(g("groups", 1))
        filters = int(g("filters"))
        if c % groups or filters % groups:
            raise _err(path, "Conv2d: groups %d must divide input channels %d and filters %d" % (groups, c, filters))
        kh, kw, sh, sw = int(g("kernelH")), int(g("kernelW")), int(g("strideH")), int(g("strideW"))
        dh, dw = int(g("dilationH", 1)), int(g("dilationW", 1))
        if g("samePadding", False):  # the record's constructor already stores these; recomputed for safety
            ph, pw = dh * (kh - 1) // 2, dw * (kw - 1) // 2
        else:
            ph, pw = int(g("padH")), int(g("padW"))
        m = nn.Conv2d(c, filters, (kh, kw), (sh, sw), (ph, pw), (dh, dw), groups, bool(g("bias", True)))
        return m, (filters,
                   _window_out(path, kind, "height", h, kh, sh, ph, dh, False),
                   _window_out(path, kind, "width", w, kw, sw, pw, dw, False))

    if kind == "ConvTranspose2d":
        _image(path, kind, shape)
        c, h, w = shape
        filters = int(g("filters"))
        kh, kw, sh, sw = int(g("kernelH")), int(g("kernelW")), int(g("strideH")), int(g("strideW"))
        ph, pw, oh, ow = int(g("padH")), int(g("padW")), int(g("outPadH", 0)), int(g("outPadW", 0))
        if oh >= sh or ow >= sw:
            raise _err(path, "ConvTranspose2d: PyTorch needs output padding < stride, received %dx%d with stride %dx%d"
                       % (oh, ow, sh, sw))
        m = nn.ConvTranspose2d(c, filters, (kh, kw), (sh, sw), (ph, pw), (oh, ow), bias=bool(g("bias", True)))
        return m, (filters, (h - 1) * sh - 2 * ph + kh + oh, (w - 1) * sw - 2 * pw + kw + ow)

    if kind == "BatchNorm":
        if len(shape) < 1:
            raise _err(path, "BatchNorm needs input with channels, the spec gives %s" % (list(shape),))
        return BatchNorm(shape[0], g("eps"), g("momentum"), bool(g("scale", True)), bool(g("center", True))), shape

    if kind == "LayerNorm":
        if len(shape) < 1:
            raise _err(path, "LayerNorm needs at least one axis")
        return nn.LayerNorm(shape[-1], eps=float(g("eps"))), shape

    if kind == "Activation":
        k = g("kind")
        if k not in ACT_KINDS:
            raise _err(path, "unknown activation kind %r" % (k,))
        axis = int(g("axis", 0))
        if k in ("SOFTMAX", "GLU") and not -len(shape) <= axis < len(shape):
            raise _err(path, "%s: axis %d does not exist in input %s" % (k, axis, list(shape)))
        out = shape
        if k == "GLU":
            a = axis % len(shape)
            if shape[a] % 2:
                raise _err(path, "GLU halves axis %d, which must be even, received %s" % (axis, list(shape)))
            out = shape[:a] + (shape[a] // 2,) + shape[a + 1:]
        return Act(k, g("alpha", 1.0), axis), out

    if kind == "Pool2d":
        _image(path, kind, shape)
        c, h, w = shape
        kh, kw, sh, sw = int(g("kernelH")), int(g("kernelW")), int(g("strideH")), int(g("strideW"))
        ph, pw, ceil = int(g("padH")), int(g("padW")), bool(g("ceilMode", False))
        if g("max"):
            m = nn.MaxPool2d((kh, kw), (sh, sw), (ph, pw), ceil_mode=ceil)
        else:
            # DJL's PyTorch JNI (torchNNAvgPool) drops count_include_pad, so Netbook always counts the
            # padding; compat=True reproduces that, the default follows the spec.
            include = True if compat else bool(g("countIncludePad", True))
            m = nn.AvgPool2d((kh, kw), (sh, sw), (ph, pw), ceil_mode=ceil, count_include_pad=include)
        return m, (c, _window_out(path, kind, "height", h, kh, sh, ph, 1, ceil),
                   _window_out(path, kind, "width", w, kw, sw, pw, 1, ceil))

    if kind == "AdaptiveAvgPool":
        _image(path, kind, shape)
        if g("flatten"):
            return GlobalAvgPool(), (shape[0],)
        oh, ow = int(g("outH")), int(g("outW"))
        return nn.AdaptiveAvgPool2d((oh, ow)), (shape[0], oh, ow)

    if kind == "Dropout":
        return nn.Dropout(float(g("rate"))), shape

    if kind == "Flatten":
        return BatchFlatten(), (math.prod(shape),)

    if kind == "Normalize":
        mean, std = g("mean"), g("std")
        if len(shape) not in (1, 3) or len(mean) not in (1, shape[0]):
            raise _err(path, "%d means for an input of %s" % (len(mean), list(shape)))
        return Normalize(mean, std, len(shape)), shape

    if kind == "Reshape":
        dims = tuple(int(d) for d in g("dims"))
        if math.prod(dims) != math.prod(shape):
            raise _err(path, "cannot reshape %s to %s" % (list(shape), list(dims)))
        return Reshape(dims), dims

    if kind == "Linear":
        if len(shape) != 1:
            raise _err(path, "Linear expects (N, features) input, the spec gives %s; did you forget flatten()?" % (list(shape),))
        units = int(g("units"))
        return nn.Linear(shape[0], units, bool(g("bias", True))), (units,)

    if kind == "LocalResponseNorm":
        _image(path, kind, shape)
        return nn.LocalResponseNorm(int(g("size")), float(g("alpha")), float(g("beta")), float(g("k"))), shape

    if kind == "Embedding":
        return Embedding(int(g("count")), int(g("dim"))), shape + (int(g("dim")),)

    raise _err(path, "spec type %s has no PyTorch equivalent in spec_torch.py (custom layers and lambdas are code, "
                     "not data)" % (t or "<missing @type>"))


class NetbookNet(nn.Module):
    def __init__(self, name, input_shape, body, output_shape, aux_weights):
        super().__init__()
        self.name = name
        self.input_shape = tuple(input_shape)
        self.output_shape = tuple(output_shape)
        self.aux_weights = list(aux_weights)
        self.body = body

    def forward(self, x):
        aux = []
        out = self.body(x, aux)
        if self.training and self.aux_weights:
            return (out,) + tuple(aux)
        return out

    def loss(self, outputs, labels):
        """Netbook's Losses.withAuxiliary(crossEntropy(), auxWeights): CE(main) + sum w_i * CE(aux_i)."""
        if isinstance(outputs, torch.Tensor):
            return F.cross_entropy(outputs, labels)
        total = F.cross_entropy(outputs[0], labels)
        for w, a in zip(self.aux_weights, outputs[1:]):
            total = total + w * F.cross_entropy(a, labels)
        return total


def build(spec, djl_compat=False):
    """The torch module for a spec dict (json.load of SpecJson.write's output). djl_compat=True
    reproduces what Netbook's DJL runtime computes where it departs from the spec: average pools
    with excludePad() (count_include_pad=False) still count the padding there."""
    fmt = spec.get("format")
    if fmt != "netbook-spec/1":
        raise SpecError("network spec has format %r, expected 'netbook-spec/1'" % (fmt,))
    input_shape = tuple(int(d) for d in spec["input"])
    aux_weights = []
    body, out = _build(spec["body"], input_shape, "", aux_weights, False, djl_compat)
    return NetbookNet(spec.get("name", "net"), input_shape, body, out, aux_weights)


def save_npz(model, path):
    """Writes the module's state_dict (parameters and buffers) as float32 arrays keyed NNNN:name in
    registration order, the spec's order: what Netbook's TrainedModel.importWeights loads (by order,
    checked by shape). A state_dict saved with torch.save from this module converts the same way:
        m = build(json.load(open("net.json"))); m.load_state_dict(torch.load("weights.pt")); save_npz(m, "weights.npz")
    """
    import numpy as np
    sd = model.state_dict()
    np.savez(path, **{"%04d:%s" % (i, k): v.detach().cpu().float().numpy() for i, (k, v) in enumerate(sd.items())})


def load_npz(model, path):
    """Loads an .npz written by Netbook's TrainedModel.exportWeights (or save_npz) into the module,
    by order, checking every shape; raises SpecError naming a missing, extra or mis-shaped tensor."""
    import numpy as np
    data = np.load(path)
    keys = sorted(data.files)
    sd = model.state_dict()
    if len(keys) != len(sd):
        raise SpecError("%s: %d tensors, the module has %d (first unmatched: %s)" % (
            path, len(keys), len(sd), (keys[len(sd)] if len(keys) > len(sd) else list(sd)[len(keys)])))
    new = {}
    for k, (name, t) in zip(keys, sd.items()):
        a = data[k]
        if tuple(a.shape) != tuple(t.shape):
            raise SpecError("%s: tensor %s has shape %s but the module's %s is %s" % (path, k, list(a.shape), name, list(t.shape)))
        new[name] = torch.from_numpy(np.ascontiguousarray(a)).to(t.dtype)
    model.load_state_dict(new)


def trainable_params(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


if __name__ == "__main__":
    import json
    import sys

    if len(sys.argv) == 5 and sys.argv[1] == "to-npz":
        # python3 spec_torch.py to-npz net.json weights.pt weights.npz: a torch.save'd state_dict of the
        # module built from net.json, as the .npz Netbook's TrainedModel.importWeights reads.
        with open(sys.argv[2]) as fh:
            m = build(json.load(fh))
        m.load_state_dict(torch.load(sys.argv[3], map_location="cpu"))
        save_npz(m, sys.argv[4])
        sys.exit(0)
    for f in sys.argv[1:]:
        with open(f) as fh:
            m = build(json.load(fh))
        print(f, m.name, "params", trainable_params(m), "in", list(m.input_shape), "out", list(m.output_shape),
              "aux", m.aux_weights)
