// module placeholder
