// Tests of common/file_util.h (kept with the meta tests, its first user).
#include "common/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_util/temp_dir.h"

namespace otelstack {
namespace {

using test::FileMode;
using test::TempDir;

TEST(HexTest, EncodeIsLowercase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(HexTest, DecodeAcceptsEitherCase) {
  std::string out;
  ASSERT_TRUE(HexDecode("0001AbFf", &out));
  EXPECT_EQ(out, std::string("\x00\x01\xab\xff", 4));
  ASSERT_TRUE(HexDecode("", &out));
  EXPECT_EQ(out, "");
}

TEST(HexTest, DecodeRejectsOddLengthAndNonHex) {
  std::string out;
  EXPECT_FALSE(HexDecode("abc", &out));
  EXPECT_FALSE(HexDecode("zz", &out));
  EXPECT_FALSE(HexDecode("0g", &out));
}

TEST(RandomBytesTest, GivesRequestedLengthAndVaries) {
  std::string a, b;
  ASSERT_TRUE(RandomBytes(32, &a).ok());
  ASSERT_TRUE(RandomBytes(32, &b).ok());
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(FileUtilTest, EnsureDirCreatesParentsAndSetsMode) {
  TempDir tmp;
  std::string dir = tmp.Sub("a/b/c");
  ASSERT_TRUE(EnsureDir(dir, 0700).ok());
  EXPECT_EQ(FileMode(dir), 0700);
  ASSERT_TRUE(::chmod(dir.c_str(), 0755) == 0);
  ASSERT_TRUE(EnsureDir(dir, 0700).ok());  // existing: mode tightened again
  EXPECT_EQ(FileMode(dir), 0700);
}

TEST(FileUtilTest, EnsureDirFailsOnFile) {
  TempDir tmp;
  std::string file = tmp.Sub("file");
  ASSERT_TRUE(WriteFileAtomic(file, "x", 0600).ok());
  Status st = EnsureDir(file, 0700);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(file), std::string::npos);
}

TEST(FileUtilTest, WriteFileAtomicReplacesAndSetsMode) {
  TempDir tmp;
  std::string file = tmp.Sub("f");
  mode_t old_umask = ::umask(0);
  Status first = WriteFileAtomic(file, "first", 0600);
  ::umask(old_umask);
  ASSERT_TRUE(first.ok()) << first.ToString();
  EXPECT_EQ(FileMode(file), 0600);
  ASSERT_TRUE(WriteFileAtomic(file, "second", 0640).ok());
  EXPECT_EQ(FileMode(file), 0640);
  std::string contents;
  ASSERT_TRUE(ReadFile(file, &contents).ok());
  EXPECT_EQ(contents, "second");
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));
}

TEST(FileUtilTest, ReadFileMissingNamesPath) {
  TempDir tmp;
  std::string contents;
  Status st = ReadFile(tmp.Sub("missing"), &contents);
  EXPECT_EQ(st.code(), Status::Code::kIOError);
  EXPECT_NE(st.message().find(tmp.Sub("missing")), std::string::npos);
}

TEST(FileUtilTest, DirName) {
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("/c"), "/");
  EXPECT_EQ(DirName("c"), ".");
}

}  // namespace
}  // namespace otelstack
