"""The people Tremplin serves: job seekers referred to or applying for a programme."""
