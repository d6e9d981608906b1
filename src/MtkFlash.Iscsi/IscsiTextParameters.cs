using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MtkFlash.Iscsi
{
    /// <summary>
    /// Text keys of Login and Text PDUs: "key=value" pairs, each ended by a NUL byte, UTF-8 (RFC 7143 §6.1).
    /// Order is kept because answers are easier to read in the order they were asked.
    /// </summary>
    public static class IscsiText
    {
        /// <summary>Parses a data segment. Throws <see cref="FormatException"/> for a pair without '=' or an empty key.</summary>
        public static List<KeyValuePair<string, string>> Parse(byte[] data)
        {
            var pairs = new List<KeyValuePair<string, string>>();
            var text = Encoding.UTF8.GetString(data ?? Array.Empty<byte>());
            foreach (var item in text.Split('\0'))
            {
                if (item.Length == 0) continue; // trailing NUL and padding
                var eq = item.IndexOf('=');
                if (eq <= 0) throw new FormatException("text parameter '" + Shorten(item) + "' is not key=value");
                pairs.Add(new KeyValuePair<string, string>(item.Substring(0, eq), item.Substring(eq + 1)));
            }
            return pairs;
        }

        public static byte[] Format(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            var sb = new StringBuilder();
            foreach (var p in pairs) sb.Append(p.Key).Append('=').Append(p.Value).Append('\0');
            return Encoding.UTF8.GetBytes(sb.ToString());
        }

        static string Shorten(string s) => s.Length > 40 ? s.Substring(0, 40) + "…" : s;
    }

    /// <summary>
    /// Operational parameters of one connection and the target side of their negotiation (RFC 7143 §13). The target
    /// supports exactly: no digests, ErrorRecoveryLevel 0, one connection per session, in-order data, no markers.
    /// </summary>
    public sealed class IscsiSessionParameters
    {
        public IscsiSessionParameters(IscsiTargetOptions options)
        {
            TargetMaxRecvDataSegmentLength = options.MaxRecvDataSegmentLength;
            MaxBurstLength = options.MaxBurstLength;
            FirstBurstLength = Math.Min(options.FirstBurstLength, options.MaxBurstLength);
        }

        /// <summary>What the initiator can receive per PDU: its declaration, 8192 until it declares (RFC 7143 §13.12).</summary>
        public int InitiatorMaxRecvDataSegmentLength { get; private set; } = 8192;
        /// <summary>What this target can receive per PDU (declared by the target).</summary>
        public int TargetMaxRecvDataSegmentLength { get; }
        public int MaxBurstLength { get; private set; }
        public int FirstBurstLength { get; private set; }
        // RFC 7143 §13.10/§13.11 defaults: InitialR2T=Yes, ImmediateData=Yes.
        public bool InitialR2T { get; private set; } = true;
        public bool ImmediateData { get; private set; } = true;
        public string InitiatorName { get; private set; }
        public string TargetName { get; private set; }
        public bool IsDiscovery { get; private set; }

        bool _declaredReceiveLength;

        /// <summary>
        /// Answers one request's keys. Declarative keys (names, session type) are stored; negotiated keys get the
        /// result value; unknown keys get NotUnderstood (RFC 7143 §6.2). Throws <see cref="IscsiLoginException"/> for
        /// values the target cannot accept.
        /// </summary>
        public List<KeyValuePair<string, string>> Negotiate(IEnumerable<KeyValuePair<string, string>> offered, bool securityStage)
        {
            var answer = new List<KeyValuePair<string, string>>();
            void Reply(string key, string value) => answer.Add(new KeyValuePair<string, string>(key, value));

            foreach (var p in offered)
            {
                var key = p.Key;
                var value = p.Value;
                switch (key)
                {
                    // Declarations (RFC 7143 §13.4–13.6, §13.21): no answer.
                    case "InitiatorName": InitiatorName = value; break;
                    case "InitiatorAlias": break;
                    case "TargetName": TargetName = value; break;
                    case "SessionType":
                        if (value == "Discovery") IsDiscovery = true;
                        else if (value == "Normal") IsDiscovery = false;
                        else throw new IscsiLoginException(IscsiLoginStatus.SessionTypeNotSupported, "SessionType=" + value + " is not supported");
                        break;
                    // §12.1: only AuthMethod=None; a list without None cannot be served.
                    case "AuthMethod":
                        if (!ListHas(value, "None")) throw new IscsiLoginException(IscsiLoginStatus.AuthenticationFailure, "this target has no authentication; the initiator offered only AuthMethod=" + value);
                        Reply(key, "None");
                        break;
                    // §13.1: list keys; the target picks None.
                    case "HeaderDigest":
                    case "DataDigest":
                        Reply(key, ListHas(value, "None") ? "None" : "Reject");
                        if (!ListHas(value, "None")) throw new IscsiLoginException(IscsiLoginStatus.InitiatorError, key + " without None is not supported");
                        break;
                    // §13.12 declarative: store what the initiator can receive; the target declares its own below.
                    case "MaxRecvDataSegmentLength":
                        InitiatorMaxRecvDataSegmentLength = Clamp(Number(key, value), 512, 16777215);
                        break;
                    // §13.13/§13.14 minimum functions; FirstBurstLength ≤ MaxBurstLength.
                    case "MaxBurstLength":
                        MaxBurstLength = Math.Min(MaxBurstLength, Clamp(Number(key, value), 512, 16777215));
                        FirstBurstLength = Math.Min(FirstBurstLength, MaxBurstLength);
                        Reply(key, MaxBurstLength.ToString(CultureInfo.InvariantCulture));
                        break;
                    case "FirstBurstLength":
                        FirstBurstLength = Math.Min(Math.Min(FirstBurstLength, MaxBurstLength), Clamp(Number(key, value), 512, 16777215));
                        Reply(key, FirstBurstLength.ToString(CultureInfo.InvariantCulture));
                        break;
                    // §13.10 InitialR2T: OR function. §13.11 ImmediateData: AND function.
                    case "InitialR2T":
                        InitialR2T = Bool(key, value);
                        Reply(key, YesNo(InitialR2T));
                        break;
                    case "ImmediateData":
                        ImmediateData = Bool(key, value);
                        Reply(key, YesNo(ImmediateData));
                        break;
                    // §13.17 MaxOutstandingR2T, §13.2 MaxConnections, §13.20 ErrorRecoveryLevel: minimum functions; the target uses 1, 1, 0.
                    case "MaxOutstandingR2T":
                    case "MaxConnections":
                        Number(key, value);
                        Reply(key, "1");
                        break;
                    case "ErrorRecoveryLevel":
                        Number(key, value);
                        Reply(key, "0");
                        break;
                    // §13.18/§13.19: OR functions; the target processes in order anyway.
                    case "DataPDUInOrder":
                    case "DataSequenceInOrder":
                        Bool(key, value);
                        Reply(key, "Yes");
                        break;
                    // §13.15 (max) and §13.16 (min): answered with the initiator's value; ERL 0 never waits or retains.
                    case "DefaultTime2Wait":
                    case "DefaultTime2Retain":
                        Reply(key, Number(key, value).ToString(CultureInfo.InvariantCulture));
                        break;
                    // RFC 7143 §13.25 (markers, from RFC 3720): AND functions → No.
                    case "IFMarker":
                    case "OFMarker":
                        Reply(key, "No");
                        break;
                    default:
                        // RFC 7143 §6.2: unknown keys (including X- extensions) are answered NotUnderstood.
                        Reply(key, "NotUnderstood");
                        break;
                }
            }
            // Declared once, in the first operational-stage answer.
            if (!securityStage && !_declaredReceiveLength)
            {
                Reply("MaxRecvDataSegmentLength", TargetMaxRecvDataSegmentLength.ToString(CultureInfo.InvariantCulture));
                _declaredReceiveLength = true;
            }
            return answer;
        }

        static bool ListHas(string list, string item) => list.Split(',').Any(v => v.Trim() == item);
        static string YesNo(bool b) => b ? "Yes" : "No";
        static int Clamp(int v, int min, int max) => v < min ? min : v > max ? max : v;

        static int Number(string key, string value)
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                throw new IscsiLoginException(IscsiLoginStatus.InitiatorError, key + "=" + value + " is not a number");
            return n;
        }

        static bool Bool(string key, string value)
        {
            if (value == "Yes") return true;
            if (value == "No") return false;
            throw new IscsiLoginException(IscsiLoginStatus.InitiatorError, key + "=" + value + " is neither Yes nor No");
        }
    }

    /// <summary>Login response Status-Class and Status-Detail (RFC 7143 §11.13.5), as one 16-bit value.</summary>
    public enum IscsiLoginStatus : ushort
    {
        Success = 0x0000,
        InitiatorError = 0x0200,
        AuthenticationFailure = 0x0201,
        TargetNotFound = 0x0203,
        UnsupportedVersion = 0x0205,
        MissingParameter = 0x0207,
        SessionTypeNotSupported = 0x0209,
        InvalidDuringLogin = 0x020B,
        TargetError = 0x0300,
    }

    /// <summary>A login the target refuses: answered with a Login Response carrying the status, then the connection closes.</summary>
    public sealed class IscsiLoginException : Exception
    {
        public IscsiLoginException(IscsiLoginStatus status, string message) : base(message) { Status = status; }
        public IscsiLoginStatus Status { get; }
    }
}
