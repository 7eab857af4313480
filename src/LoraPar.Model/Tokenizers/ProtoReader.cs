namespace LoraPar.Model.Tokenizers;

/// <summary>
/// Reads the protocol-buffer wire format one field at a time (varint, 64-bit, length-delimited and 32-bit fields): enough to
/// read SentencePiece's <c>ModelProto</c> without a protobuf runtime. Malformed input throws <see cref="FormatException"/>.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool Next(out int field, out int wireType)
    {
        field = wireType = 0;
        if (_at >= _data.Length) return false;
        var tag = ReadVarint();
        (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
        if (field <= 0) throw new FormatException($"field number {field} at byte {_at}");
        return true;
    }

    /// <summary>A varint field's value.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException($"varint longer than 10 bytes before byte {_at}");
    }

    /// <summary>A length-delimited field's bytes (a string, bytes or an embedded message).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _at)) throw new FormatException($"field of {length} bytes past the end at byte {_at}");
        return Take((int)length);
    }

    /// <summary>A 32-bit field read as a float (little-endian).</summary>
    public float ReadFloat() => BitConverter.Int32BitsToSingle(System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(Take(4)));

    /// <summary>Skips a field of <paramref name="wireType"/>.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Take(8); break;
            case LengthDelimited: ReadBytes(); break;
            case Fixed32: Take(4); break;
            default: throw new FormatException($"wire type {wireType} at byte {_at}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _at) throw new FormatException($"truncated at byte {_at}");
        var span = _data.Slice(_at, count);
        _at += count;
        return span;
    }
}
