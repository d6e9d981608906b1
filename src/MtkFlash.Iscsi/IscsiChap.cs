using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace MtkFlash.Iscsi
{
    /// <summary>
    /// The one CHAP user a target accepts (RFC 7143 §12.1.3, one-way: the initiator proves it knows the secret). The
    /// secret is bytes, as initiators use it (libiscsi and QEMU: the password string's bytes); it comes from a file or an
    /// environment variable, never from a command line, where other users could read it.
    /// </summary>
    public sealed class IscsiChapCredentials
    {
        /// <summary>96 bits: what the Windows initiator requires without IPsec (SetIScsiInitiatorCHAPSharedSecret).</summary>
        public const int MinSecretBytes = 12;
        public const int MaxSecretBytes = 255;

        public IscsiChapCredentials(string userName, byte[] secret)
        {
            var userProblem = UserNameProblem(userName);
            if (userProblem != null) throw new ArgumentException(userProblem, nameof(userName));
            var secretProblem = SecretProblem(secret);
            if (secretProblem != null) throw new ArgumentException(secretProblem, nameof(secret));
            UserName = userName;
            Secret = (byte[])secret.Clone();
        }

        /// <summary>The CHAP_N the initiator must send (QEMU: iscsi user=…; libiscsi: the URL's user).</summary>
        public string UserName { get; }
        internal byte[] Secret { get; }

        public static string UserNameProblem(string userName)
        {
            if (string.IsNullOrEmpty(userName)) return "the CHAP user name cannot be empty";
            if (Encoding.UTF8.GetByteCount(userName) > 255) return "the CHAP user name has at most 255 bytes";
            if (userName.Any(char.IsControl)) return "the CHAP user name cannot contain control characters";
            return null;
        }

        public static string SecretProblem(byte[] secret)
        {
            if (secret == null || secret.Length < MinSecretBytes)
                return "a CHAP secret needs at least " + MinSecretBytes + " bytes (96 bits); this one has " + (secret?.Length ?? 0);
            if (secret.Length > MaxSecretBytes) return "a CHAP secret has at most " + MaxSecretBytes + " bytes; this one has " + secret.Length;
            if (Array.IndexOf(secret, (byte)0) >= 0) return "a CHAP secret cannot contain NUL bytes (initiators take it as a C string)";
            return null;
        }

        /// <summary>
        /// The secret as written in a file or an environment variable: its UTF-8 bytes, without one trailing line end
        /// (editors and `echo` add it). Throws <see cref="ArgumentException"/> when it is too short or too long.
        /// </summary>
        public static IscsiChapCredentials FromText(string userName, string secretText) =>
            FromFileBytes(userName, Encoding.UTF8.GetBytes(secretText ?? ""));

        /// <summary>Like <see cref="FromText"/> for a file's bytes, taken as they are (no decoding).</summary>
        public static IscsiChapCredentials FromFileBytes(string userName, byte[] raw)
        {
            var length = raw?.Length ?? 0;
            if (length > 0 && raw[length - 1] == (byte)'\n') length--;
            if (length > 0 && length == raw.Length - 1 && raw[length - 1] == (byte)'\r') length--;
            var secret = new byte[length];
            if (length > 0) Buffer.BlockCopy(raw, 0, secret, 0, length);
            return new IscsiChapCredentials(userName, secret);
        }

        /// <summary>RFC 1994 §4.1 with MD5 (CHAP_A=5): MD5(identifier ‖ secret ‖ challenge).</summary>
        public static byte[] Md5Response(byte identifier, byte[] secret, byte[] challenge)
        {
            var message = new byte[1 + secret.Length + challenge.Length];
            message[0] = identifier;
            Buffer.BlockCopy(secret, 0, message, 1, secret.Length);
            Buffer.BlockCopy(challenge, 0, message, 1 + secret.Length, challenge.Length);
            using (var md5 = MD5.Create()) return md5.ComputeHash(message);
        }
    }

    /// <summary>
    /// The target side of one CHAP exchange in the security stage (RFC 7143 §12.1.3):
    /// I→T AuthMethod=CHAP,…; T→I AuthMethod=CHAP; I→T CHAP_A=&lt;A1,A2…&gt;; T→I CHAP_A=5, CHAP_I, CHAP_C;
    /// I→T CHAP_N, CHAP_R. Anything out of order, another algorithm, a wrong name or response, or a request for mutual
    /// CHAP (which this target does not offer) fails with Authentication failure (0201).
    /// </summary>
    sealed class IscsiChapExchange
    {
        enum Step { Start, MethodChosen, ChallengeSent, Done }

        /// <summary>16 random bytes, as LIO's target sends (CHAP_CHALLENGE_LENGTH).</summary>
        const int ChallengeBytes = 16;
        /// <summary>RFC 7143 §12.1.3: C and R are at most 1024 bytes long in binary.</summary>
        const int MaxBinaryBytes = 1024;

        readonly IscsiChapCredentials _credentials;
        Step _step = Step.Start;
        byte _identifier;
        byte[] _challenge;

        public IscsiChapExchange(IscsiChapCredentials credentials) { _credentials = credentials; }

        public bool Authenticated => _step == Step.Done;
        /// <summary>The CHAP_N that passed, for the log.</summary>
        public string User { get; private set; }

        public static bool IsAuthenticationKey(string key) => key == "AuthMethod" || key.StartsWith("CHAP_", StringComparison.Ordinal);

        /// <summary>Answers the authentication keys of one security-stage request (in order); throws on failure.</summary>
        public List<KeyValuePair<string, string>> Handle(IList<KeyValuePair<string, string>> keys)
        {
            var answer = new List<KeyValuePair<string, string>>();
            string Get(string key) => keys.Where(k => k.Key == key).Select(k => k.Value).FirstOrDefault();

            if (keys.Count == 0 && _step != Step.Done) throw Fail("the initiator did not continue the CHAP exchange");
            if (_step == Step.Done) throw Fail("CHAP keys after the initiator was authenticated");

            var method = Get("AuthMethod");
            if (method != null)
            {
                if (_step != Step.Start) throw Fail("AuthMethod offered twice");
                if (!method.Split(',').Any(m => m.Trim() == "CHAP"))
                    throw Fail("this target requires CHAP; the initiator offered only AuthMethod=" + method);
                answer.Add(Pair("AuthMethod", "CHAP"));
                _step = Step.MethodChosen;
            }

            var algorithms = Get("CHAP_A");
            if (algorithms != null)
            {
                if (_step != Step.MethodChosen) throw Fail("CHAP_A before AuthMethod=CHAP was agreed");
                if (!algorithms.Split(',').Any(a => a.Trim() == "5")) throw Fail("only CHAP_A=5 (MD5) is supported; the initiator offered " + algorithms);
                _challenge = new byte[ChallengeBytes];
                var identifier = new byte[1];
                using (var random = RandomNumberGenerator.Create())
                {
                    random.GetBytes(_challenge);
                    random.GetBytes(identifier);
                }
                _identifier = identifier[0];
                answer.Add(Pair("CHAP_A", "5"));
                answer.Add(Pair("CHAP_I", _identifier.ToString(CultureInfo.InvariantCulture)));
                answer.Add(Pair("CHAP_C", "0x" + ToHex(_challenge)));
                _step = Step.ChallengeSent;
            }

            var name = Get("CHAP_N");
            var response = Get("CHAP_R");
            if (name != null || response != null)
            {
                if (_step != Step.ChallengeSent || algorithms != null) throw Fail("CHAP_N/CHAP_R before the challenge was sent");
                if (name == null || response == null) throw Fail("CHAP_N and CHAP_R must come together");
                if (Get("CHAP_I") != null || Get("CHAP_C") != null) throw Fail("the initiator asked for mutual CHAP, which this target does not offer");
                var received = DecodeBinary(response);
                var expected = IscsiChapCredentials.Md5Response(_identifier, _credentials.Secret, _challenge);
                // Compare everything so that the time taken does not tell how much was right.
                var nameMatches = FixedTimeEquals(Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(_credentials.UserName));
                var responseMatches = received != null && FixedTimeEquals(received, expected);
                if (!nameMatches || !responseMatches) throw Fail("wrong CHAP user name or response");
                User = name;
                _step = Step.Done;
            }

            foreach (var k in keys)
                if (k.Key.StartsWith("CHAP_", StringComparison.Ordinal) && k.Key != "CHAP_A" && k.Key != "CHAP_N" && k.Key != "CHAP_R" &&
                    k.Key != "CHAP_I" && k.Key != "CHAP_C")
                    answer.Add(Pair(k.Key, "NotUnderstood"));
            return answer;
        }

        static IscsiLoginException Fail(string message) => new IscsiLoginException(IscsiLoginStatus.AuthenticationFailure, message);

        static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);

        /// <summary>RFC 7143 §6.1 binary values: "0x" hex or "0b" base64. Null when malformed or over 1024 bytes.</summary>
        internal static byte[] DecodeBinary(string value)
        {
            if (value == null || value.Length < 3 || value[0] != '0') return null;
            var body = value.Substring(2);
            try
            {
                byte[] bytes;
                if (value[1] == 'x' || value[1] == 'X')
                {
                    if (body.Length % 2 != 0) body = "0" + body;
                    bytes = new byte[body.Length / 2];
                    for (var i = 0; i < bytes.Length; i++) bytes[i] = byte.Parse(body.Substring(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                }
                else if (value[1] == 'b' || value[1] == 'B') bytes = Convert.FromBase64String(body);
                else return null;
                return bytes.Length <= MaxBinaryBytes ? bytes : null;
            }
            catch (FormatException) { return null; }
        }

        internal static string ToHex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (var b in bytes) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            var diff = a.Length ^ b.Length;
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
                diff |= (i < a.Length ? a[i] : 0) ^ (i < b.Length ? b[i] : 0);
            return diff == 0;
        }
    }
}
