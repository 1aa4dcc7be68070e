using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CredentialFunctions.Infra.Tests.Support;

/// <summary>
/// Evaluates the part of the ARM expression language Bicep's output uses for names and settings:
/// string literals, parameters(), variables(), format(), concat(), property access and indexing,
/// and reference('module').outputs.x.value across module boundaries. Anything else (resource
/// properties, uniqueString(), environment()) is only known at deployment and becomes a hole.
/// </summary>
internal static class ArmExpression
{
    public static ArmValue Evaluate(JsonElement value, ArmDeployment scope)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return ArmValue.OfJson(value, scope, []);
        }

        var text = value.GetString()!;
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return ArmValue.OfText(text[1..], []); // "[[" escapes a literal that starts with "["
        }

        if (!(text.StartsWith('[') && text.EndsWith(']')))
        {
            return ArmValue.OfText(text, []);
        }

        var sources = new List<string> { text };
        var result = new Evaluator(scope, sources).Evaluate(new Parser(text[1..^1]).ParseAll());
        return result switch
        {
            string s => ArmValue.OfText(s, sources),
            ArmValue { IsString: false } json => ArmValue.OfJson(json.Json, json.Scope!, sources),
            _ => ArmValue.OfText(ArmValue.Hole, sources),
        };
    }

    private abstract record Node;
    private sealed record Literal(string Value) : Node;
    private sealed record Number(long Value) : Node;
    private sealed record Call(string Function, IReadOnlyList<Node> Arguments) : Node;
    private sealed record Member(Node Target, string Name) : Node;
    private sealed record Index(Node Target, Node Key) : Node;

    // reference('module').outputs.name.value, one step at a time.
    private sealed record ModuleReference(ArmDeployment Module);
    private sealed record ModuleOutputs(ArmDeployment Module);
    private sealed record ModuleOutput(ArmDeployment Module, string Name);

    private sealed class Evaluator(ArmDeployment scope, List<string> sources)
    {
        /// <returns>A string (possibly with holes), an ArmValue holding JSON, or a module reference step.</returns>
        public object Evaluate(Node node) => node switch
        {
            Literal literal => literal.Value,
            Number number => number.Value.ToString(CultureInfo.InvariantCulture),
            Call call => Invoke(call),
            Member member => Access(Evaluate(member.Target), member.Name),
            Index index => Access(Evaluate(index.Target), Evaluate(index.Key) as string ?? ArmValue.Hole),
            _ => ArmValue.Hole,
        };

        private object Invoke(Call call)
        {
            switch (call.Function.ToLowerInvariant())
            {
                case "parameters" when Text(call, 0) is { } name:
                    return Unwrap(scope.Parameter(name));
                case "variables" when Text(call, 0) is { } name:
                    return Unwrap(scope.Variable(name));
                case "reference" when Text(call, 0) is { } name && scope.Children.Any(c => c.Name == name):
                    return new ModuleReference(scope.Child(name));
                case "format" when Text(call, 0) is { } format:
                    var arguments = call.Arguments.Skip(1).Select(a => AsText(Evaluate(a))).ToArray();
                    return FormatWithHoles(format, arguments);
                case "concat":
                    return string.Concat(call.Arguments.Select(a => AsText(Evaluate(a))));
                default:
                    return ArmValue.Hole;
            }
        }

        private object Access(object target, string name) => target switch
        {
            ModuleReference reference when name == "outputs" => new ModuleOutputs(reference.Module),
            ModuleOutputs outputs => new ModuleOutput(outputs.Module, name),
            ModuleOutput output when name == "value" => Unwrap(output.Module.Output(output.Name)),
            ArmValue { IsString: false } json when json.Json.ValueKind == JsonValueKind.Object => Unwrap(json.Property(name)),
            ArmValue { IsString: false } json when json.Json.ValueKind == JsonValueKind.Array
                && int.TryParse(name, CultureInfo.InvariantCulture, out var i) && i < json.Json.GetArrayLength()
                => Unwrap(json.Items().ElementAt(i)),
            _ => ArmValue.Hole,
        };

        private object Unwrap(ArmValue value)
        {
            sources.AddRange(value.Sources);
            return value.IsString ? value.Text! : value;
        }

        private string? Text(Call call, int index) =>
            call.Arguments.Count > index ? Evaluate(call.Arguments[index]) as string : null;

        private static string AsText(object value) => value switch
        {
            string s => s,
            ArmValue { IsString: false } json when json.Json.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                => json.Json.GetRawText(),
            _ => ArmValue.Hole,
        };

        private static string FormatWithHoles(string format, string[] arguments)
        {
            var result = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] == '{' && format.IndexOf('}', i) is var close and > 0
                    && int.TryParse(format.AsSpan(i + 1, close - i - 1), CultureInfo.InvariantCulture, out var n))
                {
                    result.Append(n < arguments.Length ? arguments[n] : ArmValue.Hole);
                    i = close;
                }
                else
                {
                    result.Append(format[i]);
                }
            }

            return result.ToString();
        }
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public Node ParseAll()
        {
            var node = ParseExpression();
            SkipWhitespace();
            return _position == text.Length ? node : throw Error("end of expression");
        }

        private Node ParseExpression()
        {
            SkipWhitespace();
            Node node = Peek() switch
            {
                '\'' => new Literal(ReadString()),
                var c when char.IsAsciiDigit(c) || c == '-' => new Number(ReadNumber()),
                _ => ParseCall(),
            };

            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    node = new Member(node, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    node = new Index(node, key);
                }
                else
                {
                    return node;
                }
            }
        }

        private Call ParseCall()
        {
            var function = ReadIdentifier();
            Expect('(');
            var arguments = new List<Node>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    arguments.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));

                Expect(')');
            }

            return new Call(function, arguments);
        }

        private string ReadString()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                var c = Next();
                if (c != '\'')
                {
                    value.Append(c);
                }
                else if (Peek() == '\'')
                {
                    value.Append(Next()); // '' is an escaped quote
                }
                else
                {
                    return value.ToString();
                }
            }
        }

        private long ReadNumber()
        {
            var start = _position++;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }

            return long.Parse(text.AsSpan(start, _position - start), CultureInfo.InvariantCulture);
        }

        private string ReadIdentifier()
        {
            SkipWhitespace();
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '$'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw Error("a name");
        }

        private void Expect(char expected)
        {
            SkipWhitespace();
            if (!TryConsume(expected))
            {
                throw Error($"'{expected}'");
            }
        }

        private bool TryConsume(char expected)
        {
            if (_position < text.Length && text[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private char Next() => _position < text.Length ? text[_position++] : throw Error("more input");

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Error(string expected) =>
            new($"Expected {expected} at {_position} in ARM expression [{text}].");
    }
}
