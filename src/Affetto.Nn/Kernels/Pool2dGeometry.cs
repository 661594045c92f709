namespace Affetto.Nn.Kernels;

/// <summary>
/// Shape of a 2-D pooling on NCHW float32 tensors (PyTorch's MaxPool2d / AvgPool2d conventions). Input is
/// [Batch, Channels, InH, InW], output [Batch, Channels, OutH, OutW] with
/// OutH = floor_or_ceil((InH + 2 PadH - DilationH (KH - 1) - 1) / StrideH) + 1; in ceil mode the last window
/// must start inside the input or its left padding. 1-D pooling on [N, C, L] uses <see cref="For1d"/>.
/// </summary>
public readonly struct Pool2dGeometry : IEquatable<Pool2dGeometry>
{
    /// <summary>Creates and validates a geometry. PyTorch's default stride equals the kernel size.</summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative or larger than half the
    /// kernel, or the output would be empty.</exception>
    public Pool2dGeometry(int batch, int channels, int inH, int inW, int kH, int kW, int strideH, int strideW,
        int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1, bool ceilMode = false)
    {
        Positive(batch, nameof(batch));
        Positive(channels, nameof(channels));
        Positive(inH, nameof(inH));
        Positive(inW, nameof(inW));
        Positive(kH, nameof(kH));
        Positive(kW, nameof(kW));
        Positive(strideH, nameof(strideH));
        Positive(strideW, nameof(strideW));
        Positive(dilationH, nameof(dilationH));
        Positive(dilationW, nameof(dilationW));
        if (padH < 0 || padH * 2 > kH)
        {
            throw new ArgumentException($"Pool2dGeometry: padH = {padH} must be between 0 and half the kernel height {kH}.", nameof(padH));
        }

        if (padW < 0 || padW * 2 > kW)
        {
            throw new ArgumentException($"Pool2dGeometry: padW = {padW} must be between 0 and half the kernel width {kW}.", nameof(padW));
        }

        int outH = OutSize(inH, kH, strideH, padH, dilationH, ceilMode);
        int outW = OutSize(inW, kW, strideW, padW, dilationW, ceilMode);
        if (outH <= 0 || outW <= 0)
        {
            throw new ArgumentException(
                $"Pool2dGeometry: input {inH} x {inW} with kernel {kH} x {kW}, padding {padH} x {padW} and " +
                $"dilation {dilationH} x {dilationW} gives an empty output {outH} x {outW}.", nameof(kH));
        }

        Batch = batch;
        Channels = channels;
        InH = inH;
        InW = inW;
        KH = kH;
        KW = kW;
        StrideH = strideH;
        StrideW = strideW;
        PadH = padH;
        PadW = padW;
        DilationH = dilationH;
        DilationW = dilationW;
        CeilMode = ceilMode;
        OutH = outH;
        OutW = outW;
        checked
        {
            _ = InputLength;
            _ = OutputLength;
        }
    }

    /// <summary>Creates the geometry of a 1-D pooling on [batch, channels, length] as height-1 2-D.</summary>
    public static Pool2dGeometry For1d(int batch, int channels, int length, int kernelSize, int stride,
        int padding = 0, int dilation = 1, bool ceilMode = false) =>
        new(batch, channels, 1, length, 1, kernelSize, 1, stride, 0, padding, 1, dilation, ceilMode);

    private static int OutSize(int input, int k, int stride, int pad, int dilation, bool ceil)
    {
        long span = input + 2L * pad - (long)dilation * (k - 1) - 1;
        if (span < 0)
        {
            return 0;
        }

        long o = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceil && (o - 1) * stride >= input + pad)
        {
            o--;
        }

        return (int)o;
    }

    /// <summary>Batch size N.</summary>
    public int Batch { get; }
    /// <summary>Channels C.</summary>
    public int Channels { get; }
    /// <summary>Input height.</summary>
    public int InH { get; }
    /// <summary>Input width.</summary>
    public int InW { get; }
    /// <summary>Window height.</summary>
    public int KH { get; }
    /// <summary>Window width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Implicit padding above and below (-inf for max, zeros for average).</summary>
    public int PadH { get; }
    /// <summary>Implicit padding left and right.</summary>
    public int PadW { get; }
    /// <summary>Vertical dilation (max pooling only).</summary>
    public int DilationH { get; }
    /// <summary>Horizontal dilation (max pooling only).</summary>
    public int DilationW { get; }
    /// <summary>Whether the output size rounds up.</summary>
    public bool CeilMode { get; }
    /// <summary>Output height.</summary>
    public int OutH { get; }
    /// <summary>Output width.</summary>
    public int OutW { get; }
    /// <summary>Number of floats in the input tensor.</summary>
    public int InputLength => checked(Batch * Channels * InH * InW);
    /// <summary>Number of floats in the output tensor (and of indices for max pooling).</summary>
    public int OutputLength => checked(Batch * Channels * OutH * OutW);

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Pool2dGeometry: {name} must be positive, got {value}.", name);
        }
    }

    /// <inheritdoc />
    public bool Equals(Pool2dGeometry other) =>
        Batch == other.Batch && Channels == other.Channels && InH == other.InH && InW == other.InW &&
        KH == other.KH && KW == other.KW && StrideH == other.StrideH && StrideW == other.StrideW &&
        PadH == other.PadH && PadW == other.PadW && DilationH == other.DilationH && DilationW == other.DilationW &&
        CeilMode == other.CeilMode;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Pool2dGeometry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        HashCode h = default;
        h.Add(Batch); h.Add(Channels); h.Add(InH); h.Add(InW); h.Add(KH); h.Add(KW); h.Add(StrideH);
        h.Add(StrideW); h.Add(PadH); h.Add(PadW); h.Add(DilationH); h.Add(DilationW); h.Add(CeilMode);
        return h.ToHashCode();
    }

    /// <summary>Equality of all fields.</summary>
    public static bool operator ==(Pool2dGeometry left, Pool2dGeometry right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(Pool2dGeometry left, Pool2dGeometry right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() =>
        $"Pool2d(N={Batch}, C={Channels}, in={InH}x{InW}, k={KH}x{KW}, stride={StrideH}x{StrideW}, " +
        $"pad={PadH}x{PadW}, dil={DilationH}x{DilationW}, ceil={CeilMode}, out={OutH}x{OutW})";
}
