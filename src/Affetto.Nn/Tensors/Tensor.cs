using System.Globalization;
using System.Text;
using Affetto.Nn.Autograd;

namespace Affetto.Nn.Tensors;

/// <summary>
/// An n-dimensional float32 tensor with shape and strides over a storage array that views (reshape, transpose,
/// narrow, expand, ...) share without copying. Operations on tensors that require gradients record a
/// define-by-run graph; <see cref="Backward"/> accumulates gradients into the leaves' <see cref="Grad"/>.
/// </summary>
public sealed partial class Tensor
{
    internal readonly float[] Data;
    internal readonly int Offset;
    internal readonly int[] ShapeArray;
    internal readonly int[] StridesArray;
    private bool _requiresGrad;

    internal Tensor(float[] data, int offset, int[] shape, int[] strides)
    {
        Data = data;
        Offset = offset;
        ShapeArray = shape;
        StridesArray = strides;
        Length = ShapeUtil.Numel(shape);
        IsContiguous = ShapeUtil.IsContiguous(shape, strides);
    }

    internal Tensor(float[] data, int[] shape)
        : this(data, 0, shape, ShapeUtil.ContiguousStrides(shape))
    {
        if (data.Length < Length)
        {
            throw new ArgumentException($"Storage of {data.Length} elements is too small for shape {ShapeUtil.Format(shape)}.");
        }
    }

    /// <summary>The size of every dimension.</summary>
    public IReadOnlyList<int> Shape => ShapeArray;

    /// <summary>The element step of every dimension in the storage.</summary>
    public IReadOnlyList<int> Strides => StridesArray;

    /// <summary>Number of dimensions.</summary>
    public int Rank => ShapeArray.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>True when the elements are laid out row-major without gaps from the view's offset.</summary>
    public bool IsContiguous { get; }

    /// <summary>How values should be stored when serialised (parameters are float32; counters such as BatchNorm's
    /// <c>num_batches_tracked</c> are int64 in PyTorch).</summary>
    public TensorDType DType { get; init; } = TensorDType.Float32;

    /// <summary>
    /// Whether gradients flow to this tensor. Only leaves (tensors not produced by a recorded operation) can be set;
    /// a leaf that requires grad receives its gradient in <see cref="Grad"/>.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (GradFn != null && !value)
            {
                throw new InvalidOperationException(
                    $"RequiresGrad can only be cleared on leaf tensors; this tensor was produced by {GradFn.Name}. Use Detach().");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient (leaves only); null until a backward pass reaches this tensor.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The operation that produced this tensor, or null for leaves.</summary>
    public GradNode? GradFn { get; private set; }

    /// <summary>True for tensors created by the user (not by a recorded operation).</summary>
    public bool IsLeaf => GradFn == null;

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public int Size(int dim) => ShapeArray[ShapeUtil.NormalizeDim(dim, Rank)];

    /// <summary>Starts a scope that records no gradients (<c>using (Tensor.NoGrad()) { ... }</c>).</summary>
    public static NoGradScope NoGrad() => GradMode.NoGrad();

    // ---------------------------------------------------------------- factories

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        var data = BufferPool.Rent(ShapeUtil.Numel(Check(shape)));
        Array.Clear(data);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var t = Uninitialized(Check(shape));
        t.Data.AsSpan(0, t.Length).Fill(value);
        return t;
    }

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape (1-D when no shape is given;
    /// use <see cref="Scalar"/> for a 0-D tensor).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        Check(shape);
        if (shape.Length == 0)
        {
            shape = [values.Length];
        }

        int n = ShapeUtil.Numel(shape);
        if (n != values.Length)
        {
            throw new ArgumentException($"FromArray: {values.Length} values do not fill shape {ShapeUtil.Format(shape)} ({n} elements).", nameof(values));
        }

        var data = GC.AllocateUninitializedArray<float>(n);
        values.CopyTo(data);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor FromArray(float[] values) => FromArray(values, values.Length);

    /// <summary>A tensor wrapping <paramref name="data"/> without copying (the array becomes its storage).</summary>
    public static Tensor Wrap(float[] data, params int[] shape)
    {
        Check(shape);
        if (ShapeUtil.Numel(shape) != data.Length)
        {
            throw new ArgumentException($"Wrap: array of {data.Length} elements does not match shape {ShapeUtil.Format(shape)}.", nameof(data));
        }

        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>
    /// A tensor with arbitrary contents (PyTorch's <c>torch.empty</c>), taking its storage from the engine's buffer pool
    /// when one of that size was given back with <see cref="Recycle"/>: for outputs that are written in full.
    /// </summary>
    public static Tensor Empty(params int[] shape) => Uninitialized((int[])Check(shape).Clone());

    /// <summary>
    /// Gives this tensor's storage back to the engine's buffer pool, so that a later tensor of the same size reuses it
    /// instead of allocating: for inference loops that drop each activation as soon as the next one exists (training
    /// gets the same from <c>Backward(releaseIntermediates: true)</c>). The caller promises that neither this tensor
    /// nor any view of its storage is used afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is part of an autograd graph, or a view of part of a storage.</exception>
    public void Recycle()
    {
        if (RequiresGrad || GradFn is not null)
        {
            throw new InvalidOperationException("Recycle: the tensor takes part in autograd; its storage may still be needed for gradients.");
        }

        if (Offset != 0 || Length != Data.Length)
        {
            throw new InvalidOperationException($"Recycle: this tensor of shape {ShapeUtil.Format(ShapeArray)} views part of a larger storage.");
        }

        BufferPool.Return(Data);
    }

    /// <summary>0, 1, ..., n-1 as floats.</summary>
    public static Tensor Arange(int n)
    {
        if (n < 0)
        {
            throw new ArgumentException($"Arange: n must be >= 0, got {n}.", nameof(n));
        }

        var t = Uninitialized([n]);
        for (int i = 0; i < n; i++)
        {
            t.Data[i] = i;
        }

        return t;
    }

    /// <summary>Zeros with this tensor's shape.</summary>
    public Tensor ZerosLike() => Zeros(ShapeArray);

    /// <summary>Ones with this tensor's shape.</summary>
    public Tensor OnesLike() => Ones(ShapeArray);

    internal static Tensor Uninitialized(int[] shape) =>
        new(BufferPool.Rent(ShapeUtil.Numel(shape)), shape);

    private static int[] Check(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape {ShapeUtil.Format(shape)} has a negative dimension.", nameof(shape));
            }
        }

        return shape;
    }

    // ---------------------------------------------------------------- element access

    /// <summary>The elements of a contiguous tensor (throws for non-contiguous views; call <see cref="Contiguous"/>).</summary>
    public Span<float> AsSpan()
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException($"AsSpan needs a contiguous tensor; this view of shape {ShapeUtil.Format(ShapeArray)} is strided. Call Contiguous() first.");
        }

        return Data.AsSpan(Offset, Length);
    }

    internal ReadOnlySpan<float> Span => Data.AsSpan(Offset, Length);

    /// <summary>A row-major copy of the elements.</summary>
    public float[] ToArray()
    {
        var c = Contiguous();
        return c.Data.AsSpan(c.Offset, c.Length).ToArray();
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1)
        {
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {ShapeUtil.Format(ShapeArray)}.");
        }

        return Data[Offset];
    }

    /// <summary>Reads or writes one element (writes are not recorded by autograd).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get => Data[ElementOffset(index)];
        set => Data[ElementOffset(index)] = value;
    }

    private int ElementOffset(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"Index of {index.Length} coordinates for a tensor of rank {Rank}.", nameof(index));
        }

        int off = Offset;
        for (int i = 0; i < index.Length; i++)
        {
            int ix = index[i] < 0 ? index[i] + ShapeArray[i] : index[i];
            if ((uint)ix >= (uint)ShapeArray[i])
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Index {index[i]} is out of range for dimension {i} of size {ShapeArray[i]}.");
            }

            off += ix * StridesArray[i];
        }

        return off;
    }

    // ---------------------------------------------------------------- autograd

    /// <summary>A view of the same storage marked with another serialisation type (not recorded).</summary>
    public Tensor WithDType(TensorDType dtype) => new(Data, Offset, ShapeArray, StridesArray) { DType = dtype };

    /// <summary>A tensor sharing this one's storage that is cut from the graph and requires no gradient.</summary>
    public Tensor Detach() => new(Data, Offset, ShapeArray, StridesArray) { DType = DType };

    /// <summary>
    /// Runs reverse-mode differentiation from this tensor. A scalar tensor is seeded with 1; otherwise pass the
    /// gradient of some scalar with respect to this tensor. Gradients are added (+=) to the leaves' <see cref="Grad"/>.
    /// The graph is freed unless <paramref name="retainGraph"/>.
    /// </summary>
    /// <param name="gradient">The seed gradient (null for a scalar: 1).</param>
    /// <param name="retainGraph">Keep the graph so that Backward can run through it again.</param>
    /// <param name="releaseIntermediates">
    /// After the pass, give the storage of every intermediate tensor of the graph (every recorded result except this
    /// root; leaves and their gradients are never touched) back to the engine's buffer pool, where the next step's
    /// tensors of the same sizes are taken from. A training loop that sets it reuses its activation buffers step after
    /// step instead of leaving them to the garbage collector, which keeps memory flat. Only set it when nothing reads
    /// those tensors, or views of them, afterwards: read outputs such as logits before calling Backward. Not allowed
    /// with <paramref name="retainGraph"/>.
    /// </param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool releaseIntermediates = false)
    {
        if (retainGraph && releaseIntermediates)
        {
            throw new ArgumentException("Backward: releaseIntermediates frees the graph's tensors, so it cannot be combined with retainGraph.", nameof(releaseIntermediates));
        }

        if (!RequiresGrad)
        {
            throw new InvalidOperationException("Backward() on a tensor that does not require grad (no input of the computation had RequiresGrad = true).");
        }

        if (gradient == null)
        {
            if (Length != 1)
            {
                throw new InvalidOperationException($"Backward() without a gradient needs a scalar; this tensor has shape {ShapeUtil.Format(ShapeArray)}.");
            }

            gradient = Full(ShapeArray, 1f);
        }
        else if (!ShapeUtil.SameShape(gradient.ShapeArray, ShapeArray))
        {
            throw new ArgumentException($"Backward: gradient shape {ShapeUtil.Format(gradient.ShapeArray)} differs from the tensor shape {ShapeUtil.Format(ShapeArray)}.", nameof(gradient));
        }

        Engine.Backward(this, gradient, retainGraph, releaseIntermediates);
    }

    /// <summary>Records <paramref name="backward"/> as the way to differentiate this result, when grad mode is on
    /// and an input requires grad. Returns this tensor.</summary>
    internal Tensor Record(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        GradFn = new GradNode(name, inputs, backward);
        _requiresGrad = true;
        return this;
    }

    /// <summary>True when grad mode is on and one of <paramref name="inputs"/> requires grad: an operation
    /// implemented outside this class should then record its backward with <see cref="RecordOp"/>.</summary>
    public static bool NeedsGradAny(Tensor[] inputs) => NeedsGrad(inputs);

    /// <summary>
    /// Records a custom differentiable operation: <paramref name="backward"/> maps the gradient of this result to the
    /// gradients of <paramref name="inputs"/> (same shapes; null where none is needed). Returns this tensor.
    /// Call only on a freshly created result and only when <see cref="NeedsGradAny"/> is true.
    /// </summary>
    public Tensor RecordOp(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        if (GradFn != null)
        {
            throw new InvalidOperationException($"RecordOp: this tensor already has a backward function ({GradFn.Name}).");
        }

        return Record(name, inputs, backward);
    }

    internal static bool NeedsGrad(Tensor a) => a._requiresGrad && GradMode.IsEnabled;

    internal static bool NeedsGrad(Tensor a, Tensor b) => (a._requiresGrad || b._requiresGrad) && GradMode.IsEnabled;

    internal static bool NeedsGrad(Tensor[] ts)
    {
        if (!GradMode.IsEnabled)
        {
            return false;
        }

        foreach (var t in ts)
        {
            if (t._requiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- in-place (not recorded)

    /// <summary>Copies <paramref name="source"/> (broadcast to this shape) into this tensor's elements; not recorded by autograd.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var outShape = ShapeUtil.Broadcast(source.ShapeArray, ShapeArray);
        if (!ShapeUtil.SameShape(outShape, ShapeArray))
        {
            throw new ArgumentException($"CopyFrom: source shape {ShapeUtil.Format(source.ShapeArray)} does not broadcast to {ShapeUtil.Format(ShapeArray)}.", nameof(source));
        }

        Elementwise.Copy(source.Data, source.Offset, ShapeUtil.BroadcastStrides(source.ShapeArray, source.StridesArray, ShapeArray),
            Data, Offset, StridesArray, ShapeArray);
    }

    /// <summary>Sets every element to <paramref name="value"/>; not recorded by autograd.</summary>
    public void Fill(float value)
    {
        if (IsContiguous)
        {
            Data.AsSpan(Offset, Length).Fill(value);
        }
        else
        {
            CopyFrom(Scalar(value));
        }
    }

    /// <summary>Adds <paramref name="other"/> (broadcast) into this tensor; not recorded by autograd.</summary>
    public void AddInPlace(Tensor other)
    {
        if (IsContiguous && other.IsContiguous && ShapeUtil.SameShape(other.ShapeArray, ShapeArray))
        {
            System.Numerics.Tensors.TensorPrimitives.Add(Data.AsSpan(Offset, Length), other.Data.AsSpan(other.Offset, other.Length), Data.AsSpan(Offset, Length));
            return;
        }

        using (NoGrad())
        {
            CopyFrom(Add(other));
        }
    }

    /// <summary>Multiplies every element by <paramref name="factor"/>; not recorded by autograd.</summary>
    public void MulInPlace(float factor)
    {
        if (IsContiguous)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(Data.AsSpan(Offset, Length), factor, Data.AsSpan(Offset, Length));
            return;
        }

        using (NoGrad())
        {
            CopyFrom(Mul(factor));
        }
    }

    /// <summary>A contiguous copy with fresh storage (recorded: the gradient passes through).</summary>
    public Tensor Clone()
    {
        var r = Uninitialized((int[])ShapeArray.Clone());
        Elementwise.Copy(Data, Offset, StridesArray, r.Data, 0, r.StridesArray, ShapeArray);
        r = new Tensor(r.Data, r.ShapeArray) { DType = DType };
        return NeedsGrad(this) ? r.Record("Clone", [this], static g => [g]) : r;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeUtil.Format(ShapeArray));
        if (GradFn != null)
        {
            sb.Append(" grad_fn=").Append(GradFn);
        }
        else if (RequiresGrad)
        {
            sb.Append(" requires_grad");
        }

        var values = ToArray();
        sb.Append(" {");
        for (int i = 0; i < Math.Min(values.Length, 8); i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
        }

        sb.Append(values.Length > 8 ? ", ...}" : "}");
        return sb.ToString();
    }
}
