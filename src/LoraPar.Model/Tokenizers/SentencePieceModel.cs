using System.Globalization;
using System.Text;
using LoraPar.Core;

namespace LoraPar.Model.Tokenizers;

/// <summary>The kind of a piece in a SentencePiece model (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum PieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>
/// A SentencePiece BPE <c>tokenizer.model</c> (a serialized <c>ModelProto</c>): its pieces with scores and types and the
/// settings encoding and decoding read. Only what can be reproduced exactly is accepted: BPE models whose normalizer is
/// the identity (no precompiled character map) with whitespace escaped, a dummy prefix or not, extra whitespace kept and
/// no suffix whitespace (LLaMA-2 and its derivatives); anything else is refused at load.
/// </summary>
public sealed class SentencePieceModel
{
    /// <summary>U+2581, the symbol SentencePiece writes for a space.</summary>
    public const char SpaceSymbol = '\u2581';

    private readonly Dictionary<string, int> _normal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reserved = new(StringComparer.Ordinal);
    private readonly int[] _byteIds = Enumerable.Repeat(-1, 256).ToArray();

    private SentencePieceModel(IReadOnlyList<(string Piece, float Score, PieceType Type)> pieces, Settings settings)
    {
        Pieces = pieces.Select(p => p.Piece).ToArray();
        Scores = pieces.Select(p => p.Score).ToArray();
        Types = pieces.Select(p => p.Type).ToArray();
        (ByteFallback, AddDummyPrefix, UnknownSurface) = (settings.ByteFallback, settings.AddDummyPrefix, settings.UnknownSurface);
        for (var id = 0; id < Pieces.Count; id++)
        {
            var map = Types[id] is PieceType.Normal or PieceType.UserDefined ? _normal : _reserved;
            if (!map.TryAdd(Pieces[id], id)) throw new FormatException($"piece '{Pieces[id]}' appears twice (ids {map[Pieces[id]]} and {id})");
            if (Types[id] == PieceType.Byte) _byteIds[ByteOf(Pieces[id])] = id;
        }
        UnknownId = Enumerable.Range(0, Pieces.Count).FirstOrDefault(i => Types[i] == PieceType.Unknown, -1);
        if (UnknownId < 0) throw new FormatException("no <unk> piece");
        UserDefined = Enumerable.Range(0, Pieces.Count).Where(i => Types[i] == PieceType.UserDefined)
            .Select(i => Pieces[i]).OrderByDescending(p => p.Length).ToArray();
        BosId = ControlId(settings.BosPiece);
        EosId = ControlId(settings.EosPiece);
        Lookup = _normal.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The pieces, by id.</summary>
    public IReadOnlyList<string> Pieces { get; }

    /// <summary>The merge score of each piece (higher merges first).</summary>
    public IReadOnlyList<float> Scores { get; }

    /// <summary>The type of each piece.</summary>
    public IReadOnlyList<PieceType> Types { get; }

    /// <summary>Whether characters outside the vocabulary are written as their UTF-8 bytes (<c>&lt;0xXX&gt;</c> pieces).</summary>
    public bool ByteFallback { get; }

    /// <summary>Whether a <see cref="SpaceSymbol"/> is put before the text (and taken off the first piece when decoding).</summary>
    public bool AddDummyPrefix { get; }

    /// <summary>The text an unknown piece decodes to (<c>" ⁇ "</c> by default).</summary>
    public string UnknownSurface { get; }

    /// <summary>The id of the unknown piece.</summary>
    public int UnknownId { get; }

    /// <summary>The beginning-of-sentence control piece, null when the model has none.</summary>
    public int? BosId { get; }

    /// <summary>The end-of-sentence control piece, null when the model has none.</summary>
    public int? EosId { get; }

    /// <summary>User-defined pieces, longest first: never split or merged.</summary>
    public IReadOnlyList<string> UserDefined { get; }

    /// <summary>Normal and user-defined pieces by their text, the only ones merges may produce.</summary>
    internal Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

    /// <summary>The byte piece of <paramref name="value"/>, or the unknown id when the model lacks it.</summary>
    internal int ByteId(byte value) => _byteIds[value] >= 0 ? _byteIds[value] : UnknownId;

    /// <summary>The byte a <c>&lt;0xXX&gt;</c> piece stands for.</summary>
    internal static byte ByteOf(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
        && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)
            ? b
            : throw new FormatException($"byte piece '{piece}' is not <0xXX>");

    /// <summary>The id of <paramref name="piece"/> (control, unknown and byte pieces first, as SentencePiece looks them up).</summary>
    public int? PieceToId(string piece) => _reserved.TryGetValue(piece, out var id) || _normal.TryGetValue(piece, out id) ? id : null;

    /// <summary>Reads <paramref name="path"/>; anything but a supported BPE model is refused naming the file.</summary>
    public static SentencePieceModel Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"{path}: not a SentencePiece model lorapar can read exactly ({e.Message}).", e);
        }
    }

    /// <summary>Parses a serialized <c>ModelProto</c>; throws <see cref="FormatException"/> on what it cannot reproduce.</summary>
    public static SentencePieceModel Parse(ReadOnlySpan<byte> data)
    {
        var pieces = new List<(string, float, PieceType)>();
        var settings = new Settings();
        var reader = new ProtoReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, ProtoReader.LengthDelimited): pieces.Add(ReadPiece(reader.ReadBytes())); break;
                case (2, ProtoReader.LengthDelimited): settings.ReadTrainer(reader.ReadBytes()); break;
                case (3, ProtoReader.LengthDelimited): settings.ReadNormalizer(reader.ReadBytes(), denormalizer: false); break;
                case (5, ProtoReader.LengthDelimited): settings.ReadNormalizer(reader.ReadBytes(), denormalizer: true); break;
                default: reader.Skip(wire); break;
            }
        }
        settings.Check();
        if (pieces.Any(p => p.Item3 == PieceType.Unused))
            throw new FormatException("unused pieces (resegmentation) are not supported");
        if (pieces.Any(p => p.Item3 == PieceType.Byte) && !settings.ByteFallback)
            throw new FormatException("byte pieces in a model without byte_fallback");
        return new SentencePieceModel(pieces, settings);
    }

    private int? ControlId(string piece) => _reserved.TryGetValue(piece, out var id) && Types[id] == PieceType.Control ? id : null;

    private static (string, float, PieceType) ReadPiece(ReadOnlySpan<byte> data)
    {
        var (text, score, type) = ("", 0f, PieceType.Normal);
        var reader = new ProtoReader(data);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, ProtoReader.LengthDelimited): text = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                case (2, ProtoReader.Fixed32): score = reader.ReadFloat(); break;
                case (3, ProtoReader.Varint): type = (PieceType)reader.ReadVarint(); break;
                default: reader.Skip(wire); break;
            }
        }
        if (!Enum.IsDefined(type)) throw new FormatException($"piece '{text}' has unknown type {(int)type}");
        if (text.Length == 0) throw new FormatException("empty piece");
        return (text, score, type);
    }

    /// <summary>The trainer and normalizer settings that matter for encoding, with the proto's defaults.</summary>
    private sealed class Settings
    {
        private int _modelType = 1;
        private bool _suffix, _removeExtraWhitespaces = true, _escapeWhitespaces = true, _charsMap;

        public bool ByteFallback { get; private set; }
        public bool AddDummyPrefix { get; private set; } = true;
        public string UnknownSurface { get; private set; } = " \u2047 ";
        public string BosPiece { get; private set; } = "<s>";
        public string EosPiece { get; private set; } = "</s>";

        public void ReadTrainer(ReadOnlySpan<byte> data)
        {
            var reader = new ProtoReader(data);
            while (reader.Next(out var field, out var wire))
            {
                switch (field, wire)
                {
                    case (3, ProtoReader.Varint): _modelType = (int)reader.ReadVarint(); break;
                    case (24, ProtoReader.Varint): _suffix = reader.ReadVarint() != 0; break;
                    case (35, ProtoReader.Varint): ByteFallback = reader.ReadVarint() != 0; break;
                    case (44, ProtoReader.LengthDelimited): UnknownSurface = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                    case (46, ProtoReader.LengthDelimited): BosPiece = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                    case (47, ProtoReader.LengthDelimited): EosPiece = Encoding.UTF8.GetString(reader.ReadBytes()); break;
                    default: reader.Skip(wire); break;
                }
            }
        }

        public void ReadNormalizer(ReadOnlySpan<byte> data, bool denormalizer)
        {
            var reader = new ProtoReader(data);
            while (reader.Next(out var field, out var wire))
            {
                switch (field, wire)
                {
                    case (2, ProtoReader.LengthDelimited): _charsMap |= reader.ReadBytes().Length > 0; break;
                    case (3, ProtoReader.Varint) when !denormalizer: AddDummyPrefix = reader.ReadVarint() != 0; break;
                    case (4, ProtoReader.Varint) when !denormalizer: _removeExtraWhitespaces = reader.ReadVarint() != 0; break;
                    case (5, ProtoReader.Varint) when !denormalizer: _escapeWhitespaces = reader.ReadVarint() != 0; break;
                    default: reader.Skip(wire); break;
                }
            }
        }

        public void Check()
        {
            if (_modelType != 2) throw new FormatException($"model_type {_modelType} is not BPE (2)");
            if (_charsMap) throw new FormatException("a precompiled normalization map (only the identity normalizer is supported)");
            if (_suffix) throw new FormatException("treat_whitespace_as_suffix is not supported");
            if (_removeExtraWhitespaces) throw new FormatException("remove_extra_whitespaces is not supported");
            if (!_escapeWhitespaces) throw new FormatException("escape_whitespaces = false is not supported");
        }
    }
}
