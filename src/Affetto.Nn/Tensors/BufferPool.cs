using System.Collections.Concurrent;

namespace Affetto.Nn.Tensors;

/// <summary>
/// Size-exact pool of large float arrays for tensor storage. Backward passes return the storage of every
/// intermediate gradient here once the pass is over (nothing can reach those tensors any more), and new tensors rent
/// from it, so a training loop reuses the same buffers step after step instead of churning the large-object heap.
/// Exact sizes keep <c>Data.Length == Length</c> for every pooled tensor. Bounded, thread-safe.
/// </summary>
internal static class BufferPool
{
    private const int MinPooledLength = 4096;
    private const long MaxPooledBytes = 512L << 20;
    private static readonly ConcurrentDictionary<int, ConcurrentStack<float[]>> s_buckets = new();
    private static long s_pooledBytes;

    /// <summary>Bytes currently held.</summary>
    public static long PooledBytes => Interlocked.Read(ref s_pooledBytes);

    /// <summary>An array of exactly <paramref name="length"/> elements with arbitrary contents.</summary>
    public static float[] Rent(int length)
    {
        if (length >= MinPooledLength && s_buckets.TryGetValue(length, out var stack) && stack.TryPop(out var a))
        {
            Interlocked.Add(ref s_pooledBytes, -4L * length);
            return a;
        }

        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>Gives an array back; the caller guarantees nothing references it any more.</summary>
    public static void Return(float[] array)
    {
        if (array.Length < MinPooledLength)
        {
            return;
        }

        if (Interlocked.Add(ref s_pooledBytes, 4L * array.Length) > MaxPooledBytes)
        {
            Interlocked.Add(ref s_pooledBytes, -4L * array.Length);
            return;
        }

        s_buckets.GetOrAdd(array.Length, static _ => new ConcurrentStack<float[]>()).Push(array);
    }
}
