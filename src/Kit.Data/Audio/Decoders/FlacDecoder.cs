namespace Kit.Data.Audio.Decoders;

/// <summary>
/// A FLAC decoder (RFC 9639): STREAMINFO, then frames of CONSTANT, VERBATIM, FIXED and LPC subframes with
/// Rice-coded residuals and the three stereo decorrelations.
/// Written here because no managed FLAC decoder is served by the package mirror the kit restores from
/// (NLayer and NVorbis cover MP3 and Vorbis; FFMpegCore would need ffmpeg installed and a process per clip),
/// and FLAC is small and fully specified. Frame CRCs are not checked: a damaged frame decodes to noise
/// that the level checks see, and a file cut short is reported as such.
/// </summary>
internal static class FlacDecoder
{
    public static (AudioInfo Info, AudioClip Clip) Decode(byte[] file, int start, string? path)
    {
        var r = new BitReader(file, start, path);
        if (r.ReadBits(32) != 0x664C6143) throw new AudioFormatException(path, "not a FLAC file (no fLaC marker)");
        int sampleRate = 0, channels = 0, bits = 0;
        long totalFrames = 0;
        bool last = false, sawInfo = false;
        while (!last)
        {
            last = r.ReadBits(1) == 1;
            int type = (int)r.ReadBits(7);
            int length = (int)r.ReadBits(24);
            if (type == 0)
            {
                r.ReadBits(16); r.ReadBits(16); r.ReadBits(24); r.ReadBits(24); // block and frame size bounds
                sampleRate = (int)r.ReadBits(20);
                channels = (int)r.ReadBits(3) + 1;
                bits = (int)r.ReadBits(5) + 1;
                totalFrames = ((long)r.ReadBits(4) << 32) | r.ReadBits(32);
                r.Skip(length - 18);
                sawInfo = true;
            }
            else r.Skip(length);
        }
        if (!sawInfo) throw new AudioFormatException(path, "FLAC without a STREAMINFO block");
        if (sampleRate == 0) throw new AudioFormatException(path, "the FLAC header says a sample rate of 0 Hz");

        if (totalFrames * channels > Array.MaxLength) throw new AudioFormatException(path, $"{totalFrames:N0} samples is too long for a training clip");
        var samples = new List<float>(totalFrames > 0 ? (int)(totalFrames * channels) : 1 << 16);
        long decoded = 0;
        var block = new long[channels][];
        while (!r.AtEnd && (totalFrames == 0 || decoded < totalFrames))
        {
            int blockSize = DecodeFrame(r, sampleRate, channels, bits, ref block);
            if (blockSize == 0) break; // padding or junk after the last frame
            int take = totalFrames > 0 ? (int)Math.Min(blockSize, totalFrames - decoded) : blockSize;
            float scale = 1f / (1L << (bits - 1));
            int at = samples.Count;
            System.Runtime.InteropServices.CollectionsMarshal.SetCount(samples, at + take * channels);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(samples)[at..];
            for (int c = 0; c < channels; c++)
            {
                var row = block[c];
                for (int i = 0, j = c; i < take; i++, j += channels) span[j] = row[i] * scale;
            }
            decoded += take;
        }
        if (totalFrames > 0 && decoded < totalFrames)
            throw new AudioFormatException(path, $"truncated: the FLAC header promises {totalFrames:N0} samples but the file holds {decoded:N0}");
        var info = new AudioInfo(AudioContainer.Flac, $"{bits}-bit", sampleRate, channels, decoded, bits);
        return (info, new AudioClip(samples.ToArray(), sampleRate, channels));
    }

    private static readonly int[] Rates = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];

    /// <summary>Decodes one frame into <paramref name="block"/> (a row per channel); 0 when no frame starts here.</summary>
    private static int DecodeFrame(BitReader r, int streamRate, int channels, int streamBits, ref long[][] block)
    {
        r.AlignToByte();
        if (r.BitsLeft < 16) return 0;
        if (r.PeekBits(15) != 0x7FFC) // 14 sync bits and a reserved 0
            throw r.Broken("a FLAC frame does not start where the previous one ended");
        r.ReadBits(16);
        int sizeCode = (int)r.ReadBits(4), rateCode = (int)r.ReadBits(4);
        int assignment = (int)r.ReadBits(4), bitsCode = (int)r.ReadBits(3);
        r.ReadBits(1);
        // The frame or sample number, UTF-8-style: the count of leading 1s is the count of bytes.
        uint first = r.ReadBits(8);
        int extra = first < 0x80 ? 0 : first >= 0xFE ? 6 : System.Numerics.BitOperations.LeadingZeroCount(~(first << 24)) - 1;
        for (int i = 0; i < extra; i++) r.ReadBits(8);
        int blockSize = sizeCode switch
        {
            1 => 192,
            >= 2 and <= 5 => 576 << (sizeCode - 2),
            6 => (int)r.ReadBits(8) + 1,
            7 => (int)r.ReadBits(16) + 1,
            >= 8 => 256 << (sizeCode - 8),
            _ => throw r.Broken("a FLAC frame with a reserved block size"),
        };
        if (rateCode == 12) r.ReadBits(8);
        else if (rateCode is 13 or 14) r.ReadBits(16);
        else if (rateCode == 15) throw r.Broken("a FLAC frame with an invalid sample rate");
        int bits = bitsCode switch
        {
            0 => streamBits,
            1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, 7 => 32,
            _ => throw r.Broken("a FLAC frame with a reserved sample size"),
        };
        r.ReadBits(8); // CRC-8 of the header
        int frameChannels = assignment < 8 ? assignment + 1 : 2;
        if (assignment > 10) throw r.Broken("a FLAC frame with a reserved channel assignment");
        if (frameChannels != channels) throw r.Broken($"a FLAC frame with {frameChannels} channels in a {channels}-channel stream");
        if (block.Length != channels || block[0] is null || block[0].Length < blockSize)
            for (int c = 0; c < channels; c++) block[c] = new long[blockSize];

        for (int c = 0; c < channels; c++)
        {
            // The side channel of a decorrelated pair carries one more bit.
            bool side = (assignment == 8 && c == 1) || (assignment == 9 && c == 0) || (assignment == 10 && c == 1);
            DecodeSubframe(r, block[c].AsSpan(0, blockSize), bits + (side ? 1 : 0));
        }
        var a = block[0].AsSpan(0, blockSize);
        var b = channels > 1 ? block[1].AsSpan(0, blockSize) : default;
        switch (assignment)
        {
            case 8: for (int i = 0; i < blockSize; i++) b[i] = a[i] - b[i]; break;  // left, side
            case 9: for (int i = 0; i < blockSize; i++) a[i] += b[i]; break;         // side, right
            case 10:                                                                  // mid, side
                for (int i = 0; i < blockSize; i++)
                {
                    long mid = (a[i] << 1) | (b[i] & 1), s = b[i];
                    a[i] = (mid + s) >> 1;
                    b[i] = (mid - s) >> 1;
                }
                break;
        }
        r.AlignToByte();
        r.ReadBits(16); // CRC-16 of the frame
        if (bits != streamBits)
        {
            // A frame at another sample size than the stream's: bring it to the stream's scale.
            int shift = streamBits - bits;
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < blockSize; i++) block[c][i] = shift > 0 ? block[c][i] << shift : block[c][i] >> -shift;
        }
        return blockSize;
    }

    private static void DecodeSubframe(BitReader r, Span<long> output, int bits)
    {
        if (r.ReadBits(1) != 0) throw r.Broken("a FLAC subframe with its padding bit set");
        int type = (int)r.ReadBits(6);
        int wasted = 0;
        if (r.ReadBits(1) == 1)
        {
            wasted = 1;
            while (r.ReadBits(1) == 0) wasted++;
        }
        bits -= wasted;
        if (bits <= 0) throw r.Broken("a FLAC subframe with more wasted bits than its sample size");
        if (type == 0)
        {
            long v = r.ReadSigned(bits);
            output.Fill(v);
        }
        else if (type == 1)
        {
            for (int i = 0; i < output.Length; i++) output[i] = r.ReadSigned(bits);
        }
        else if (type is >= 8 and <= 12)
        {
            int order = type - 8;
            if (order > output.Length) throw r.Broken("a FLAC subframe whose predictor is longer than its block");
            for (int i = 0; i < order; i++) output[i] = r.ReadSigned(bits);
            ReadResidual(r, output, order);
            for (int i = order; i < output.Length; i++)
                output[i] += order switch
                {
                    0 => 0,
                    1 => output[i - 1],
                    2 => 2 * output[i - 1] - output[i - 2],
                    3 => 3 * output[i - 1] - 3 * output[i - 2] + output[i - 3],
                    _ => 4 * output[i - 1] - 6 * output[i - 2] + 4 * output[i - 3] - output[i - 4],
                };
        }
        else if (type >= 32)
        {
            int order = type - 31;
            if (order > output.Length) throw r.Broken("a FLAC subframe whose predictor is longer than its block");
            for (int i = 0; i < order; i++) output[i] = r.ReadSigned(bits);
            int precision = (int)r.ReadBits(4) + 1;
            if (precision == 16) throw r.Broken("a FLAC subframe with an invalid coefficient precision");
            int shift = (int)r.ReadSigned(5);
            if (shift < 0) throw r.Broken("a FLAC subframe with a negative prediction shift");
            Span<long> coefficients = stackalloc long[order];
            for (int i = 0; i < order; i++) coefficients[i] = r.ReadSigned(precision);
            ReadResidual(r, output, order);
            for (int i = order; i < output.Length; i++)
            {
                long sum = 0;
                for (int j = 0; j < order; j++) sum += coefficients[j] * output[i - 1 - j];
                output[i] += sum >> shift;
            }
        }
        else throw r.Broken($"a FLAC subframe of reserved type {type}");
        if (wasted > 0)
            for (int i = 0; i < output.Length; i++) output[i] <<= wasted;
    }

    /// <summary>Reads the Rice-coded residual into output[order..] (the predictor adds to it).</summary>
    private static void ReadResidual(BitReader r, Span<long> output, int order)
    {
        int method = (int)r.ReadBits(2);
        if (method > 1) throw r.Broken("a FLAC residual with a reserved coding method");
        int parameterBits = method == 0 ? 4 : 5;
        int escape = (1 << parameterBits) - 1;
        int partitionOrder = (int)r.ReadBits(4);
        int partitions = 1 << partitionOrder;
        int perPartition = output.Length >> partitionOrder;
        if (perPartition << partitionOrder != output.Length || perPartition < order)
            throw r.Broken("a FLAC residual whose partitions do not fit its block");
        int i = order;
        for (int p = 0; p < partitions; p++)
        {
            int count = p == 0 ? perPartition - order : perPartition;
            int k = (int)r.ReadBits(parameterBits);
            if (k == escape)
            {
                int raw = (int)r.ReadBits(5);
                for (int n = 0; n < count; n++) output[i++] = raw == 0 ? 0 : r.ReadSigned(raw);
            }
            else
                for (int n = 0; n < count; n++)
                {
                    long q = r.ReadUnary();
                    long v = (q << k) | r.ReadBits(k);
                    output[i++] = (v >> 1) ^ -(v & 1);
                }
        }
    }

    /// <summary>Big-endian bits of a byte array, as FLAC stores them.</summary>
    private sealed class BitReader(byte[] data, int start, string? path)
    {
        private long _position = (long)start * 8;
        private readonly long _end = (long)data.Length * 8;

        public bool AtEnd => _position >= _end;
        public long BitsLeft => _end - _position;

        public AudioFormatException Broken(string what) => new(path, $"{what} (byte {_position / 8:N0}): the file is damaged");

        public uint PeekBits(int n)
        {
            long saved = _position;
            uint v = ReadBits(n);
            _position = saved;
            return v;
        }

        /// <summary>Up to 32 bits as an unsigned number.</summary>
        public uint ReadBits(int n)
        {
            if (n == 0) return 0;
            if (_position + n > _end) throw new AudioFormatException(path, "truncated: the FLAC stream ends inside a frame");
            int index = (int)(_position >> 3), offset = (int)(_position & 7);
            ulong chunk = 0;
            for (int i = 0; i < 5; i++) chunk = (chunk << 8) | (index + i < data.Length ? data[index + i] : 0u);
            _position += n;
            return (uint)((chunk >> (40 - offset - n)) & ((1UL << n) - 1));
        }

        /// <summary>A two's-complement number of up to 33 bits (a 32-bit side channel has 33).</summary>
        public long ReadSigned(int n)
        {
            if (n == 0) return 0;
            ulong v = n > 32 ? ((ulong)ReadBits(n - 32) << 32) | ReadBits(32) : ReadBits(n);
            int unused = 64 - n;
            return (long)(v << unused) >> unused;
        }

        /// <summary>The count of 0 bits before the next 1.</summary>
        public long ReadUnary()
        {
            long count = 0;
            while (true)
            {
                if (_position >= _end) throw new AudioFormatException(path, "truncated: the FLAC stream ends inside a frame");
                // Whole zero bytes at once when aligned: long runs are rare but cheap this way.
                if ((_position & 7) == 0 && data[_position >> 3] == 0) { _position += 8; count += 8; continue; }
                int bit = (data[_position >> 3] >> (7 - (int)(_position & 7))) & 1;
                _position++;
                if (bit == 1) return count;
                count++;
            }
        }

        public void Skip(int bytes)
        {
            if (_position + (long)bytes * 8 > _end) throw new AudioFormatException(path, "truncated: the FLAC file ends inside its header");
            _position += (long)bytes * 8;
        }

        public void AlignToByte() => _position = (_position + 7) & ~7L;
    }
}
