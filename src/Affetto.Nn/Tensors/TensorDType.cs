namespace Affetto.Nn.Tensors;

/// <summary>The element type a tensor is serialised as. Values are always held as float32 in memory.</summary>
public enum TensorDType
{
    /// <summary>32-bit float (safetensors <c>F32</c>).</summary>
    Float32,

    /// <summary>64-bit integer (safetensors <c>I64</c>), e.g. BatchNorm's <c>num_batches_tracked</c>.</summary>
    Int64,
}
