namespace Affetto.Nn.Kernels;

/// <summary>
/// Shape of a 2-D convolution on NCHW float32 tensors (PyTorch's Conv2d conventions). Input is
/// [Batch, InChannels, InH, InW], weight is [OutChannels, InChannels / Groups, KH, KW], bias is [OutChannels],
/// output is [Batch, OutChannels, OutH, OutW] with OutH = (InH + 2 PadH - DilationH (KH - 1) - 1) / StrideH + 1.
/// A 1-D convolution ([N, C, L]) is expressed with <see cref="For1d"/> as a 2-D one with height 1.
/// </summary>
public readonly struct Conv2dGeometry : IEquatable<Conv2dGeometry>
{
    /// <summary>Creates and validates a geometry.</summary>
    /// <exception cref="ArgumentException">A size is not positive, padding is negative, channels are not
    /// divisible by groups, or the (dilated) kernel does not fit in the padded input.</exception>
    public Conv2dGeometry(int batch, int inChannels, int outChannels, int inH, int inW, int kH, int kW,
        int strideH = 1, int strideW = 1, int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1,
        int groups = 1)
    {
        Positive(batch, nameof(batch));
        Positive(inChannels, nameof(inChannels));
        Positive(outChannels, nameof(outChannels));
        Positive(inH, nameof(inH));
        Positive(inW, nameof(inW));
        Positive(kH, nameof(kH));
        Positive(kW, nameof(kW));
        Positive(strideH, nameof(strideH));
        Positive(strideW, nameof(strideW));
        Positive(dilationH, nameof(dilationH));
        Positive(dilationW, nameof(dilationW));
        Positive(groups, nameof(groups));
        if (padH < 0) throw new ArgumentException($"Conv2dGeometry: padH must be >= 0, got {padH}.", nameof(padH));
        if (padW < 0) throw new ArgumentException($"Conv2dGeometry: padW must be >= 0, got {padW}.", nameof(padW));
        if (inChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Conv2dGeometry: inChannels = {inChannels} is not divisible by groups = {groups}.", nameof(groups));
        }

        if (outChannels % groups != 0)
        {
            throw new ArgumentException(
                $"Conv2dGeometry: outChannels = {outChannels} is not divisible by groups = {groups}.", nameof(groups));
        }

        long effH = (long)dilationH * (kH - 1) + 1, effW = (long)dilationW * (kW - 1) + 1;
        if (inH + 2L * padH < effH || inW + 2L * padW < effW)
        {
            throw new ArgumentException(
                $"Conv2dGeometry: the dilated kernel {effH} x {effW} is larger than the padded input " +
                $"{inH + 2L * padH} x {inW + 2L * padW}.", nameof(kH));
        }

        Batch = batch;
        InChannels = inChannels;
        OutChannels = outChannels;
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
        Groups = groups;
        OutH = (int)((inH + 2L * padH - effH) / strideH + 1);
        OutW = (int)((inW + 2L * padW - effW) / strideW + 1);
        checked
        {
            _ = (long)batch * inChannels * inH * inW;
            _ = InputLength;
            _ = OutputLength;
            _ = WeightLength;
        }
    }

    /// <summary>Creates the geometry of a 1-D convolution on [batch, inChannels, length] as height-1 2-D.</summary>
    public static Conv2dGeometry For1d(int batch, int inChannels, int outChannels, int length, int kernelSize,
        int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        new(batch, inChannels, outChannels, 1, length, 1, kernelSize, 1, stride, 0, padding, 1, dilation, groups);

    /// <summary>Batch size N.</summary>
    public int Batch { get; }
    /// <summary>Input channels C_in.</summary>
    public int InChannels { get; }
    /// <summary>Output channels C_out.</summary>
    public int OutChannels { get; }
    /// <summary>Input height.</summary>
    public int InH { get; }
    /// <summary>Input width.</summary>
    public int InW { get; }
    /// <summary>Kernel height.</summary>
    public int KH { get; }
    /// <summary>Kernel width.</summary>
    public int KW { get; }
    /// <summary>Vertical stride.</summary>
    public int StrideH { get; }
    /// <summary>Horizontal stride.</summary>
    public int StrideW { get; }
    /// <summary>Zero padding added above and below.</summary>
    public int PadH { get; }
    /// <summary>Zero padding added left and right.</summary>
    public int PadW { get; }
    /// <summary>Vertical dilation.</summary>
    public int DilationH { get; }
    /// <summary>Horizontal dilation.</summary>
    public int DilationW { get; }
    /// <summary>Number of groups (InChannels == OutChannels == Groups is depthwise).</summary>
    public int Groups { get; }
    /// <summary>Output height.</summary>
    public int OutH { get; }
    /// <summary>Output width.</summary>
    public int OutW { get; }

    /// <summary>Input channels per group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;
    /// <summary>Output channels per group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;
    /// <summary>Number of floats in the input tensor.</summary>
    public int InputLength => checked(Batch * InChannels * InH * InW);
    /// <summary>Number of floats in the output tensor.</summary>
    public int OutputLength => checked(Batch * OutChannels * OutH * OutW);
    /// <summary>Number of floats in the weight tensor.</summary>
    public int WeightLength => checked(OutChannels * InChannelsPerGroup * KH * KW);
    /// <summary>True when every group holds exactly one input channel (depthwise / channel-multiplier conv).</summary>
    public bool IsDepthwise => Groups == InChannels && Groups > 1;

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Conv2dGeometry: {name} must be positive, got {value}.", name);
        }
    }

    /// <inheritdoc />
    public bool Equals(Conv2dGeometry other) =>
        Batch == other.Batch && InChannels == other.InChannels && OutChannels == other.OutChannels &&
        InH == other.InH && InW == other.InW && KH == other.KH && KW == other.KW &&
        StrideH == other.StrideH && StrideW == other.StrideW && PadH == other.PadH && PadW == other.PadW &&
        DilationH == other.DilationH && DilationW == other.DilationW && Groups == other.Groups;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Conv2dGeometry other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        HashCode h = default;
        h.Add(Batch); h.Add(InChannels); h.Add(OutChannels); h.Add(InH); h.Add(InW); h.Add(KH); h.Add(KW);
        h.Add(StrideH); h.Add(StrideW); h.Add(PadH); h.Add(PadW); h.Add(DilationH); h.Add(DilationW); h.Add(Groups);
        return h.ToHashCode();
    }

    /// <summary>Equality of all fields.</summary>
    public static bool operator ==(Conv2dGeometry left, Conv2dGeometry right) => left.Equals(right);

    /// <summary>Inequality of any field.</summary>
    public static bool operator !=(Conv2dGeometry left, Conv2dGeometry right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() =>
        $"Conv2d(N={Batch}, Cin={InChannels}, Cout={OutChannels}, in={InH}x{InW}, k={KH}x{KW}, " +
        $"stride={StrideH}x{StrideW}, pad={PadH}x{PadW}, dil={DilationH}x{DilationW}, groups={Groups}, out={OutH}x{OutW})";
}
