namespace CnnGrid.Training.Folds;

/// <summary>
/// numpy's legacy <c>np.random.RandomState(seed)</c> (MT19937), reduced to what scikit-learn's k-fold shuffling draws:
/// the 32-bit output stream and <c>RandomState.shuffle</c> of a 1-D array. Reproducing it bit for bit is what lets a
/// seeded split match <c>KFold(shuffle=True, random_state=seed)</c> from a user's own scikit-learn run.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int ShiftLength = 397;
    private const uint MatrixA = 0x9908b0dfu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7fffffffu;

    private readonly uint[] state = new uint[StateLength];
    private int position;

    /// <summary>Seeds as <c>RandomState(seed)</c> does for an integer seed: MT19937's <c>init_genrand</c>.</summary>
    public NumpyRandomState(uint seed)
    {
        state[0] = seed;
        for (var i = 1; i < StateLength; i++)
            state[i] = unchecked(1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + (uint)i);
        position = StateLength;
    }

    /// <summary>The next tempered 32-bit MT19937 output (numpy's <c>next_uint32</c>).</summary>
    public uint NextUInt32()
    {
        if (position == StateLength)
            Regenerate();
        var y = state[position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// Uniform integer in [0, <paramref name="max"/>] by numpy's legacy <c>random_interval</c>: mask 32-bit draws to the
    /// smallest all-ones mask covering max and reject values above it. (numpy switches to 64-bit draws only for
    /// bounds above 2^32 - 1, which a <see cref="uint"/> never is.)
    /// </summary>
    public uint Interval(uint max)
    {
        if (max == 0)
            return 0;
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do
            value = NextUInt32() & mask;
        while (value > max);
        return value;
    }

    /// <summary>In-place shuffle exactly as <c>RandomState.shuffle</c> does for a 1-D array (Fisher–Yates from the end).</summary>
    public void Shuffle(int[] values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = (int)Interval((uint)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private void Regenerate()
    {
        // Indexing modulo the state length folds MT19937's three reference loops into one: entries past the end
        // wrap to ones already regenerated in this pass, just as the reference code reads them.
        for (var i = 0; i < StateLength; i++)
        {
            var y = (state[i] & UpperMask) | (state[(i + 1) % StateLength] & LowerMask);
            state[i] = state[(i + ShiftLength) % StateLength] ^ (y >> 1) ^ ((y & 1) == 0 ? 0u : MatrixA);
        }
        position = 0;
    }
}
